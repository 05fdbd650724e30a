// text/whole_number.h: the one parser of whole numbers from outside text.
#include "text/whole_number.h"

#include <catch2/catch.hpp>

namespace slamon {
namespace {

TEST_CASE("Whole numbers: digits only, within int") {
  CHECK(ParseWholeNumber("0") == 0);
  CHECK(ParseWholeNumber("08") == 8);  // a leading zero, as in "08:30"
  CHECK(ParseWholeNumber("2147483647") == 2147483647);
  CHECK_FALSE(ParseWholeNumber("2147483648"));  // INT_MAX + 1
  CHECK_FALSE(ParseWholeNumber(""));
  CHECK_FALSE(ParseWholeNumber("-1"));
  CHECK_FALSE(ParseWholeNumber("+1"));
  CHECK_FALSE(ParseWholeNumber(" 1"));
  CHECK_FALSE(ParseWholeNumber("1 "));
  CHECK_FALSE(ParseWholeNumber("1x"));
  CHECK_FALSE(ParseWholeNumber("1.0"));
  CHECK_FALSE(ParseWholeNumber("1e3"));
  CHECK_FALSE(ParseWholeNumber("\xD9\xA1"));  // ARABIC-INDIC DIGIT ONE is no digit here
}

TEST_CASE("Positive numbers start at 1") {
  CHECK(ParsePositiveNumber("1") == 1);
  CHECK(ParsePositiveNumber("016") == 16);
  CHECK_FALSE(ParsePositiveNumber("0"));
  CHECK_FALSE(ParsePositiveNumber("00"));
  CHECK_FALSE(ParsePositiveNumber("-3"));
  CHECK_FALSE(ParsePositiveNumber(""));
}

}  // namespace
}  // namespace slamon
