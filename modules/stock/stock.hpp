#pragma once
// Module stock: the warehouse's stock as the platform sees it. It owns the mapping of each
// merchant SKU to the platform's item and SKU per shop (num_iid, sku_id), the quantity last
// pushed for each with taobao.item.quantity.update and why one was held back, and the peak
// switch (push / lower only / off, per shop and for all). On-hand and reservations stay in
// modules/review (stock.hpp there), which approval and packing move.
#include "stock/mappings.hpp"
#include "stock/push_mode.hpp"
#include "stock/stock_pusher.hpp"
