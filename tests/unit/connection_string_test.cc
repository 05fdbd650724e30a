#include "store/connection_string.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

#include "store/pg_connection.h"

using namespace slamon;
using Catch::Matchers::Contains;

TEST_CASE("A URI dsn is written back as keywords before settings are added") {
  // Appended to the URI, " keepalives=1" once became part of the database
  // name, and the leader never connected.
  auto text = WithSettings("postgresql://slamon@db.example:5433/tickets?sslmode=require",
                           {{"keepalives", "1"}, {"application_name", "slamon-leader"}});
  REQUIRE(text);
  CHECK_THAT(*text, Contains("user='slamon'"));
  CHECK_THAT(*text, Contains("host='db.example'"));
  CHECK_THAT(*text, Contains("port='5433'"));
  CHECK_THAT(*text, Contains("dbname='tickets'"));
  CHECK_THAT(*text, Contains("sslmode='require'"));
  CHECK_THAT(*text, Contains("keepalives='1'"));
  CHECK_THAT(*text, Contains("application_name='slamon-leader'"));
}

TEST_CASE("A setting replaces the dsn's own value; keyword dsns keep their settings") {
  auto text = WithSettings("host=/run/postgresql dbname=tickets application_name=x",
                           {{"application_name", "slamon-leader"}});
  REQUIRE(text);
  CHECK(*text ==
        "dbname='tickets' host='/run/postgresql' application_name='slamon-leader'");
}

TEST_CASE("The password goes in as a keyword, never into a URI's database name") {
  char dir[] = "/tmp/slamon-dsn-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string file = std::string(dir) + "/pw";
  std::ofstream(file) << "S3cr'et\n";
  DatabaseConfig database;
  database.dsn = "postgresql://slamon@localhost/tickets";
  database.password_file = file;
  auto text = ConnectionString(database);
  REQUIRE(text);
  CHECK_THAT(*text, Contains("dbname='tickets'"));
  CHECK_THAT(*text, Contains("password='S3cr\\'et'"));
  std::system(("rm -rf " + std::string(dir)).c_str());
}

TEST_CASE("A bad dsn is an error that does not repeat it") {
  Result<std::string> uri =
      WithSettings("postgresql://u:S3cr3t@host/db?bogus_option=S3cr3t", {});
  REQUIRE_FALSE(uri);
  CHECK_THAT(uri.error(),
             Contains("database.dsn is not a valid connection string or URI"));
  CHECK_THAT(uri.error(), !Contains("S3cr3t"));
  Result<std::string> keywords = WithSettings("host=a password='S3cr3t", {});
  REQUIRE_FALSE(keywords);
  CHECK_THAT(keywords.error(), !Contains("S3cr3t"));
}

TEST_CASE("libpq's multi-line messages are logged on one line, bounded") {
  // libpq's message for a refused connection, as it prints it.
  CHECK(OneLine(
            "connection to server at \"db\", port 5432 failed: Connection refused\n"
            "\tIs the server running on that host and accepting TCP/IP connections?\n") ==
        "connection to server at \"db\", port 5432 failed: Connection refused Is the "
        "server "
        "running on that host and accepting TCP/IP connections?");
  CHECK(OneLine("\n \n") == "");
  CHECK(OneLine("abcdef", 4) == "abcd…");
  // "é" is two bytes: a cut at 4 would split it, so it cuts before it.
  CHECK(OneLine("abcé", 4) == "abc…");
}
