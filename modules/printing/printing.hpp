#pragma once
// modules/printing (fulfil_printing): turns parcels with a waybill into printed labels.
// Owns the tables `labels` (one row per label to print, its state and printer, reprints
// with who and why) and `print_jobs` (what went to which printer as one job). Decides what
// to print and in which order, records each job before it is sent and each label only when
// the printer confirmed it, then moves the parcel to `printed` (review's state machine) and,
// with confirm_at = printed, queues its ship confirmations (courier module). Layout,
// printer languages and transports come from printers/.
#include "printing/print_service.hpp"
#include "printing/settings.hpp"
