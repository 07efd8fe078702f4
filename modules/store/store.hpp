#pragma once
// Module store: everything that touches the database.
// It owns: connections to SQLite (default) or PostgreSQL chosen by the store URL, the
// versioned schema migrations, write transactions (BEGIN IMMEDIATE on SQLite, after the
// writer's turn among this process's connections to the file), the bulk writer (multi-row
// inserts; COPY on PostgreSQL), and the repositories for orders, order events, sync
// checkpoints, quarantined input, job leases and cluster members.
#include "store/database.hpp"
#include "store/lease_repository.hpp"
#include "store/migrations.hpp"
#include "store/order_queries.hpp"
#include "store/order_repository.hpp"
#include "store/quarantine_repository.hpp"
#include "store/sync_state_repository.hpp"
