#pragma once
#include <string>

namespace fulfil::aftersale {

// The ZeroMQ channel to the customer-service module ([aftersale] in the config).
struct ChannelSettings {
  // The service module's ROUTER ("tcp://10.0.0.5:5571"); empty: slips wait in the outbox.
  std::string service_endpoint;
  // Where the status feed (PUB) binds ("tcp://0.0.0.0:5572"); empty: no feed.
  std::string status_bind;
  // CURVE encryption and authentication; off only for a peer on the same host.
  bool curve = true;
  std::string secret_key_file;          // ours (zcert format, owner-only)
  std::string service_public_key_file;  // the service module's ROUTER key
  std::string subscriber_keys_dir;      // *.pub of the clients allowed on the feed
  int window = 1000;                    // slips sent and not yet acknowledged, at most
  int ack_timeout_ms = 3000;            // a slip not acked by then is sent again ...
  int max_backoff_ms = 60000;           // ... after doubling waits, up to this
  int heartbeat_ms = 1000;              // ZMTP ping; a peer silent for 3 of them is dead
  int poll_ms = 50;                     // how often the outbox is looked at when idle
  int feed_poll_ms = 200;               // how often status changes are looked for
};

// What check-ins need beyond the channel.
struct ReturnSettings {
  // Restock returned goods checked in as `fine` (other conditions wait for a person).
  bool restock_fine = true;
  // Parcels in these states may come back (the platform counts them shipped).
  bool accept_before_print = true;  // a parcel with a waybill but no printed label yet
};

struct AftersaleSettings {
  ChannelSettings channel;
  ReturnSettings returns;
};

}  // namespace fulfil::aftersale
