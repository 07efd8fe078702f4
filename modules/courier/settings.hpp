#pragma once
#include <string>
#include <vector>

#include "common/money.hpp"
#include "courier/cainiao_client.hpp"
#include "courier/remote.hpp"
#include "courier/sf_client.hpp"
#include "courier/tracking_service.hpp"

namespace fulfil::courier {

// Where a courier's waybill numbers come from: the offline pool, SF's open platform, or
// Cainiao's e-waybill service (through the TOP gateway, for the tongda couriers and SF).
enum class Source { pool, sf, cainiao };

// One courier the warehouse ships with.
struct Courier {
  std::string code;  // the platform's company code, used in ship confirmation ("ZTO")
  std::string name;  // "中通快递"
  Source source = Source::pool;
  int share = 0;                        // target percent of the day's parcels; 0: by rule only
  std::int64_t daily_capacity = 0;      // parcels a day it can pick up; 0: no limit
  std::vector<std::string> not_served;  // provinces or cities it does not deliver to
  std::vector<std::string> aliases;     // words in a buyer message asking for it ("顺丰")
  Fen cost = 0;                         // per parcel; breaks ties
  std::int64_t low_pool = 500;          // alert when fewer pool numbers are left
  SfSettings sf;                        // source = sf: the open platform account
  CainiaoSettings cainiao;              // source = cainiao: which shop's authorisation

  bool remote() const { return source != Source::pool; }
};

// A region (province or city) always shipped with one courier when it can take it.
struct RegionRule {
  std::string region;
  std::string courier;
};

// When the platform is told a parcel shipped.
enum class ConfirmAt { waybill, printed, packed };

struct CourierSettings {
  std::vector<Courier> couriers;
  std::vector<RegionRule> region_rules;
  bool honour_buyer_request = true;
  ConfirmAt confirm_at = ConfirmAt::waybill;  // printed and packed arrive with those issues
  int batch = 1000;                           // parcels per transaction in the waybill job
  int max_confirm_attempts = 20;              // then a person must look
  int reconcile_after_hours = 6;  // platform still unshipped this long after a confirmation
  Contact sender;                 // the warehouse: sender on every waybill
  TrackingSettings tracking;      // following shipments through Kuaidi100

  const Courier* find(const std::string& code) const;
};

// Every problem with the couriers' configuration (unknown rule targets, shares over 100,
// duplicate codes), one line each.
std::vector<std::string> validate(const CourierSettings& settings);

}  // namespace fulfil::courier
