// NameTable: interns the short strings tickets repeat (partner ids,
// severities, products, versions) so a ticket stores 32-bit ids instead.
// Ids are dense from 0 and stable for the table's life. One owner.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace slamon {

class NameTable {
 public:
  using Id = uint32_t;

  Id Intern(std::string_view name) {
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    Id id = static_cast<Id>(names_.size());
    names_.emplace_back(name);
    ids_.emplace(names_.back(), id);
    return id;
  }

  const std::string& Name(Id id) const { return names_[id]; }
  // The id of a name interned before; false when there is none.
  bool Find(std::string_view name, Id* id) const {
    auto it = ids_.find(name);
    if (it == ids_.end()) return false;
    *id = it->second;
    return true;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::deque<std::string> names_;  // stable addresses: the keys below view them
  std::unordered_map<std::string_view, Id, Hash, std::equal_to<>> ids_;
};

}  // namespace slamon
