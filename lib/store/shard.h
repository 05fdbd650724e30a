// Shard: which partners one replica group watches (`slamon run --shard K/N`).
//
// A partner belongs to shard K of N when the first 32 bits of the MD5 of its
// id, read as an unsigned number, are K-1 modulo N. The test is done by
// PostgreSQL in the queries themselves (md5() is stable across versions and
// platforms), so a replica never sees, stores or counts another shard's
// partners, certifications or tickets. A ticket belongs to the shard of the
// partner named by its `opened` event. Releases are shared by all shards.
#pragma once

#include <string>

#include "base/status.h"

namespace slamon {

struct Shard {
  int number = 1;  // K, 1-based
  int count = 1;   // N; 1 = everything, no filter

  bool all() const { return count == 1; }
  std::string ToString() const;  // "K/N"
};

// Parses "K/N" with 1 <= K <= N <= 1024; otherwise an error naming --shard.
Result<Shard> ParseShard(const std::string& text);

// A SQL condition that holds when the partner id in `column` belongs to the
// shard ("TRUE" for all()). Integers only: nothing from the user is quoted in.
std::string ShardPartnerCondition(const Shard& shard, const std::string& column);

// A SQL condition on the ticket id in `column` of slamon.ticket_events: the
// ticket's `opened` event names a partner of the shard.
std::string ShardTicketCondition(const Shard& shard, const std::string& column);

// A SQL condition on the ticket id in `column`: the ticket's `opened` event
// names a partner for which `partner_condition` holds (a condition on
// `opened.partner_id`). How slamon ties a ticket to its partner in SQL.
std::string OpenedForCondition(const std::string& column,
                               const std::string& partner_condition);

}  // namespace slamon
