#include "store/shard.h"

#include "text/whole_number.h"

namespace slamon {
namespace {

constexpr int kMaxShards = 1024;

}  // namespace

std::string Shard::ToString() const {
  return std::to_string(number) + "/" + std::to_string(count);
}

Result<Shard> ParseShard(const std::string& text) {
  const auto slash = text.find('/');
  std::optional<int> number, count;
  if (slash != std::string::npos) {
    number = ParsePositiveNumber(std::string_view(text).substr(0, slash));
    count = ParsePositiveNumber(std::string_view(text).substr(slash + 1));
  }
  if (!number || !count || *number > *count || *count > kMaxShards) {
    return Status::Error("--shard \"" + text + "\": expected K/N with 1 <= K <= N <= " +
                         std::to_string(kMaxShards) + " (e.g. 1/2)");
  }
  return Shard{*number, *count};
}

std::string ShardPartnerCondition(const Shard& shard, const std::string& column) {
  if (shard.all()) return "TRUE";
  return "(('x' || substr(md5(" + column + "), 1, 8))::bit(32)::bigint % " +
         std::to_string(shard.count) + " = " + std::to_string(shard.number - 1) + ")";
}

std::string ShardTicketCondition(const Shard& shard, const std::string& column) {
  if (shard.all()) return "TRUE";
  return OpenedForCondition(column, ShardPartnerCondition(shard, "opened.partner_id"));
}

std::string OpenedForCondition(const std::string& column,
                               const std::string& partner_condition) {
  return "(" + column +
         " IN (SELECT opened.ticket_id FROM slamon.ticket_events opened "
         "WHERE opened.kind = 'opened' AND " +
         partner_condition + "))";
}

}  // namespace slamon
