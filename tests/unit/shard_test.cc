#include "store/shard.h"

#include <catch2/catch.hpp>

namespace slamon {
namespace {

TEST_CASE("--shard K/N parses 1-based shards and names the mistake otherwise") {
  Result<Shard> shard = ParseShard("2/3");
  REQUIRE(shard);
  CHECK(shard->number == 2);
  CHECK(shard->count == 3);
  CHECK(shard->ToString() == "2/3");
  CHECK_FALSE(shard->all());
  CHECK(ParseShard("1/1")->all());

  for (const char* bad :
       {"0/2", "3/2", "2", "/2", "1/", "a/b", "1/2x", "-1/2", "1/0", "1/1025", ""}) {
    INFO(bad);
    Result<Shard> refused = ParseShard(bad);
    CHECK_FALSE(refused);
    CHECK(refused.error().find("--shard") != std::string::npos);
  }
}

TEST_CASE("shard conditions are TRUE without sharding and test md5 modulo N otherwise") {
  CHECK(ShardPartnerCondition(Shard{}, "id") == "TRUE");
  CHECK(ShardTicketCondition(Shard{}, "ticket_id") == "TRUE");
  const std::string partner = ShardPartnerCondition(Shard{3, 4}, "partner_id");
  CHECK(partner.find("md5(partner_id)") != std::string::npos);
  CHECK(partner.find("% 4 = 2") != std::string::npos);
  const std::string ticket = ShardTicketCondition(Shard{1, 2}, "ticket_id");
  CHECK(ticket.find("ticket_id IN (SELECT") == 1);
  CHECK(ticket.find("kind = 'opened'") != std::string::npos);
  CHECK(ticket.find("% 2 = 0") != std::string::npos);
}

}  // namespace
}  // namespace slamon
