#pragma once
// printers/: everything between label data and paper, and nothing about parcels or the store.
//  - layout/: label templates (TOML data in config/labels/) and the layout engine that binds
//    them to one parcel's fields, wrapping and continuing onto further pages.
//  - raster/: the font (FreeType, chosen through fontconfig) with its glyph cache, 1-bit
//    bitmaps, and barcodes encoded by libzint.
//  - lang/: printer languages: ZPL, TSPL, ESC/POS for thermal printers, PDF and PNG (Pango +
//    Cairo) for office printers and previews.
//  - transport/: how bytes reach a printer: a spool folder, raw TCP 9100, CUPS.
// modules/printing decides what to print and records that it was printed.
