#pragma once
#include <optional>
#include <string_view>

namespace fulfil::courier {

// Where a shipment is, as customer service speaks of it.
enum class TrackState {
  waiting,           // no event yet (not collected)
  collected,         // 揽收
  in_transit,        // 在途 (also 转投, transferred to another station)
  out_for_delivery,  // 派件
  delivered,         // 签收: signed for, done
  problem,           // 疑难: needs a person
  returning,         // 退回: on its way back to us
  refused,           // 拒签 / 退签: the buyer refused, or the return was signed for
};

std::string_view to_string(TrackState s);
std::optional<TrackState> parse_track_state(std::string_view s);

// Kuaidi100's `state` (0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签, 5 派件, 6 退回, 7 转投,
// 14 拒签; with resultv2 a sub-state such as 501 whose leading digits are the state).
// Unknown codes: nullopt, so the raw code is kept and the state left as it was.
std::optional<TrackState> from_kuaidi100(int state);

// Signed and refused shipments are over: no more polling, not stuck.
bool is_final(TrackState s);
// States customer service must look at.
bool needs_attention(TrackState s);

}  // namespace fulfil::courier
