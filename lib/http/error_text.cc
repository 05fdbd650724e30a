#include "http/error_text.h"

#include <cctype>

namespace slamon {

std::string LowerFirst(std::string message) {
  if (!message.empty() && std::isupper(static_cast<unsigned char>(message[0])) &&
      (message.size() < 2 || !std::isupper(static_cast<unsigned char>(message[1])))) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

}  // namespace slamon
