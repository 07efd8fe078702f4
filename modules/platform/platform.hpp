#pragma once
// Module platform: keeping the store in step with the shop platform (TOP gateway).
// It owns: the TOP request signer and client (envelopes, error kinds; HTTP through the
// outbound module), the trade parser (platform JSON -> orders::Trade, or a quarantine entry naming
// shop, tid and field), the incremental windowed sync with its checkpoint, the push
// database (聚石塔 RDS: jdp_tb_trade read by jdp_modified) as the other source of the same
// trades, the reconciliation of a past day, and the per-shop job that runs them under a
// lease.
#include "outbound/http_client.hpp"
#include "platform/rds_sync.hpp"
#include "platform/reconciler.hpp"
#include "platform/shop_sync_job.hpp"
#include "platform/top_client.hpp"
#include "platform/top_signer.hpp"
#include "platform/trade_sync.hpp"
