#include "review/parcel_state.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace fulfil;
using namespace fulfil::review;

namespace {
const Actor alice{"alice", static_cast<Roles>(Role::reviewer)};
const Actor bob{"bob", static_cast<Roles>(Role::reviewer)};
const Actor handler{"han", static_cast<Roles>(Role::problem_handler)};
const Actor boss{"boss", Role::supervisor | Role::reviewer};
const Actor automatic{"auto", static_cast<Roles>(Role::automatic)};
const Actor platform_sync{"sync", static_cast<Roles>(Role::sync)};
constexpr UnixSeconds now = 1000;

ParcelFacts claimed_by(const std::string& who, UnixSeconds expires = 2000) {
  return {State::in_review, 3, who, expires};
}
}  // namespace

TEST(ParcelState, ReviewerClaimsAndApprovesTheirOwnClaim) {
  auto claimed = decide({State::ready, 1}, Action::claim, alice, 1, now);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(*claimed, State::in_review);
  auto approved = decide(claimed_by("alice"), Action::approve, alice, 3, now);
  ASSERT_TRUE(approved);
  EXPECT_EQ(*approved, State::approved);
}

TEST(ParcelState, AStaleVersionIsAConflictNeverAnOverwrite) {
  auto r = decide(claimed_by("alice"), Action::approve, alice, 2, now);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
  EXPECT_NE(r.error().message.find("version 3"), std::string::npos);
}

TEST(ParcelState, AnotherReviewersClaimIsForbidden) {
  auto r = decide(claimed_by("alice"), Action::approve, bob, 3, now);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
  EXPECT_NE(r.error().message.find("claimed by alice"), std::string::npos);
  // A supervisor may finish anyone's claim.
  EXPECT_TRUE(decide(claimed_by("alice"), Action::approve, boss, 3, now));
}

TEST(ParcelState, AnExpiredClaimCannotBeCompletedButCanExpire) {
  auto late = decide(claimed_by("alice", 999), Action::approve, alice, 3, now);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().kind, ErrorKind::conflict);
  EXPECT_EQ(*decide(claimed_by("alice", 999), Action::expire, automatic, std::nullopt, now),
            State::ready);
  EXPECT_FALSE(decide(claimed_by("alice", 2000), Action::expire, automatic, std::nullopt, now));
}

TEST(ParcelState, RolesDecideWhoMayDoWhat) {
  // Reviewers cannot release problems or cancel; handlers cannot claim.
  EXPECT_EQ(decide({State::problem, 1}, Action::release, alice, 1, now).error().kind,
            ErrorKind::forbidden);
  EXPECT_EQ(*decide({State::problem, 1}, Action::release, handler, 1, now), State::ready);
  EXPECT_EQ(*decide({State::problem, 1}, Action::cancel, handler, 1, now), State::cancelled);
  EXPECT_EQ(decide({State::ready, 1}, Action::claim, handler, 1, now).error().kind,
            ErrorKind::forbidden);
  // Only a supervisor takes an approval back; only the sync intercepts.
  EXPECT_FALSE(decide({State::approved, 1}, Action::unapprove, alice, 1, now));
  EXPECT_EQ(*decide({State::approved, 1}, Action::unapprove, boss, 1, now), State::ready);
  EXPECT_FALSE(decide({State::ready, 1}, Action::intercept, boss, 1, now));
  EXPECT_EQ(*decide({State::approved, 1}, Action::intercept, platform_sync, std::nullopt, now),
            State::intercepted);
}

TEST(ParcelState, EndStatesRefuseEverything) {
  for (State s : {State::cancelled, State::merged})
    for (Action a : {Action::claim, Action::approve, Action::park, Action::release, Action::cancel,
                     Action::intercept}) {
      auto r = decide({s, 1}, a, Actor{"everyone", 0x1f}, 1, now);
      EXPECT_FALSE(r) << to_string(s) << " " << to_string(a);
      EXPECT_EQ(r.error().kind, ErrorKind::conflict);
    }
}

TEST(ParcelState, InterceptedParcelsOnlyGoToAPersonOrAreCancelled) {
  EXPECT_EQ(*decide({State::intercepted, 1}, Action::release, handler, 1, now), State::problem);
  EXPECT_FALSE(decide({State::intercepted, 1}, Action::approve, boss, 1, now));
  EXPECT_FALSE(decide({State::intercepted, 1}, Action::approve, automatic, std::nullopt, now));
}

TEST(ParcelState, TheDocumentedTableIsTheMachine) {
  const std::string doc =
      fulfil::test::read_file(std::string(FULFIL_SOURCE_DIR) + "/docs/parcel-states.md");
  std::string machine = describe_machine();
  std::size_t rows = 0;
  for (std::size_t at = 0, nl; (nl = machine.find('\n', at)) != std::string::npos; at = nl + 1) {
    const std::string row = "| " + machine.substr(at, nl - at) + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/parcel-states.md lacks: " << row;
    ++rows;
  }
  std::size_t doc_rows = 0;
  for (std::size_t at = doc.find("| ready | claim"); at != std::string::npos && doc[at] == '|';
       at = doc.find('\n', at) + 1)
    ++doc_rows;
  EXPECT_EQ(doc_rows, rows) << "the document lists moves the machine does not have";
}

TEST(ParcelState, TheMachineIsDescribedForTheDocs) {
  const std::string table = describe_machine();
  EXPECT_NE(table.find("ready | claim | in_review | reviewer"), std::string::npos);
  EXPECT_NE(table.find("approved | intercept | intercepted | sync"), std::string::npos);
}

// Issue 23 (found while trying it): a late approval says what happened and what a reviewer
// can do (a claim takes the next parcels of the queue, not this one).
TEST(ParcelState, ALateApprovalSaysWhatHappenedAndWhatToDoNext) {
  auto late = decide(claimed_by("alice", 999), Action::approve, alice, 3, now);
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("ran out"), std::string::npos) << late.error().message;
  EXPECT_NE(late.error().message.find("nothing was changed"), std::string::npos);
  EXPECT_NE(late.error().message.find("ask a supervisor to approve this one"), std::string::npos);
  EXPECT_EQ(late.error().message.find("claim the parcel again"), std::string::npos);
}
