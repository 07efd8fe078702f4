#pragma once
// Module csvimport: orders from CSV files (a shop's own export, or the platform's order
// export with its Chinese headers).
// It owns: the RFC 4180 reader (quotes, commas and newlines inside fields, BOM), encoding
// detection (UTF-8, else GB18030 as Chinese Excel writes it), the column layout and its
// aliases, per-row validation with row numbers and reasons, and the import into the store
// (idempotent: importing a file twice changes nothing).
#include "csvimport/csv_importer.hpp"
#include "csvimport/csv_reader.hpp"
