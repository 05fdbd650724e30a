// `database:`, `http:` and `alerting:` — where slamon connects and listens.
// Paths (password_file, cert_file, ...) are only recorded, never opened here.
#include <initializer_list>
#include <utility>

#include "config/config_sections.h"
#include "http/listen_address.h"
#include "http/receiver_url.h"

namespace slamon::config_internal {
namespace {

bool IsHttpUrl(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.starts_with(scheme) && url.size() > scheme.size()) return true;
  }
  return false;
}

// Whether the URL's authority holds user info ("user:password@host").
bool HasUserInfo(std::string_view url) {
  url.remove_prefix(url.find("//") + 2);
  return url.substr(0, url.find_first_of("/?#")).find('@') != std::string_view::npos;
}

// A link slamon puts into alerts (runbook_url), never requested by slamon.
// Errors never repeat the URL: its user info, path or query may be a secret.
std::optional<std::string> LinkUrl(const Field& field, YamlReader& reader) {
  std::optional<std::string> url = reader.String(field);
  if (url && !IsHttpUrl(*url)) {
    reader.Error(field,
                 "not an http(s) URL (expected it to start with http:// or https://)");
    return std::nullopt;
  }
  if (url && HasUserInfo(*url)) {
    reader.Error(field, "user info (user:password@) is not allowed in the URL");
    return std::nullopt;
  }
  return url;
}

// A receiver's URL, by the parser the alert sender uses (http/receiver_url.h),
// so check-config accepts exactly the URLs `run` can post to.
std::optional<std::string> ReceiverUrlText(const Field& field, YamlReader& reader) {
  std::optional<std::string> url = reader.String(field);
  if (!url) return std::nullopt;
  if (Result<ReceiverUrl> parsed = ParseReceiverUrl(*url); !parsed) {
    reader.Error(field, parsed.error());
    return std::nullopt;
  }
  return url;
}

// A receiver's name is a label value: short and plain.
bool IsReceiverName(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
             "0123456789_.:-") == std::string_view::npos;
}

void ReadReceivers(const Field& field, YamlReader& reader,
                   std::vector<ReceiverConfig>* out) {
  std::vector<ReceiverConfig> receivers;
  reader.List(field, "URLs", [&](const Field& element) {
    if (!element.node.IsMap()) {
      if (auto url = ReceiverUrlText(element, reader))
        receivers.emplace_back(std::move(*url));
      return;
    }
    ReceiverConfig receiver;
    std::optional<std::string> url;
    bool read = reader.Map(
        element, {
                     {"url", [&](const Field& f) { url = ReceiverUrlText(f, reader); }},
                     {"name",
                      [&](const Field& f) {
                        reader.ReadString(f, &receiver.name);
                        if (!receiver.name.empty() && !IsReceiverName(receiver.name)) {
                          reader.Error(f,
                                       "a receiver name is 1 to 64 letters, digits "
                                       "and _ . : -");
                          receiver.name.clear();
                        }
                      }},
                 });
    if (!read) return;
    if (!url) {
      const YAML::Node& map = element.node;  // const: [] must not add the key
      if (!map["url"]) reader.Error(element, "missing url");
      return;
    }
    receiver.url = std::move(*url);
    receivers.push_back(std::move(receiver));
  });
  *out = std::move(receivers);
}

// By the parser HttpServer::Start uses (http/listen_address.h), so check-config
// accepts exactly what `run` can listen on; port 0 (any free port) is refused
// here, since Prometheus must know where to scrape.
void ReadListen(const Field& field, YamlReader& reader, std::string* out) {
  std::optional<std::string> listen = reader.String(field);
  if (!listen) return;
  Result<ListenAddress> address = ParseListenAddress(*listen);
  std::string problem = address ? "" : address.error();
  if (address && address->port == 0) problem = "the port must be between 1 and 65535";
  if (!problem.empty()) {
    reader.Error(field, "bad listen address \"" + *listen + "\": " + problem);
    return;
  }
  *out = std::move(*listen);
}

// Reports each key of `required` (name, value) that is still empty.
void RequireAll(
    const Field& field, YamlReader& reader,
    std::initializer_list<std::pair<std::string_view, const std::string*>> required) {
  std::string missing;
  for (const auto& [name, value] : required) {
    if (value->empty()) missing += (missing.empty() ? "" : " and ") + std::string(name);
  }
  if (!missing.empty()) reader.Error(field, "missing " + missing);
}

void ReadTls(const Field& field, YamlReader& reader, std::optional<TlsConfig>* out) {
  TlsConfig tls;
  if (!reader.Map(
          field,
          {
              {"cert_file",
               [&](const Field& f) { reader.ReadString(f, &tls.cert_file); }},
              {"key_file", [&](const Field& f) { reader.ReadString(f, &tls.key_file); }},
          })) {
    return;
  }
  RequireAll(field, reader, {{"cert_file", &tls.cert_file}, {"key_file", &tls.key_file}});
  *out = std::move(tls);
}

void ReadBasicAuth(const Field& field, YamlReader& reader,
                   std::optional<BasicAuthConfig>* out) {
  BasicAuthConfig auth;
  if (!reader.Map(
          field,
          {
              {"username", [&](const Field& f) { reader.ReadString(f, &auth.username); }},
              {"password_file",
               [&](const Field& f) { reader.ReadString(f, &auth.password_file); }},
          })) {
    return;
  }
  RequireAll(field, reader,
             {{"username", &auth.username}, {"password_file", &auth.password_file}});
  *out = std::move(auth);
}

}  // namespace

void ReadDatabase(const Field& field, YamlReader& reader, DatabaseConfig* database) {
  reader.Map(
      field,
      {
          {"dsn", [&](const Field& f) { reader.ReadString(f, &database->dsn); }},
          {"password_file",
           [&](const Field& f) { reader.ReadString(f, &database->password_file); }},
          {"poll_interval",
           [&](const Field& f) {
             reader.ReadDuration(f, DurationMin::kPositive, &database->poll_interval);
           }},
      });
}

void ReadHttp(const Field& field, YamlReader& reader, HttpConfig* http) {
  reader.Map(
      field,
      {
          {"listen", [&](const Field& f) { ReadListen(f, reader, &http->listen); }},
          {"tls", [&](const Field& f) { ReadTls(f, reader, &http->tls); }},
          {"basic_auth",
           [&](const Field& f) { ReadBasicAuth(f, reader, &http->basic_auth); }},
          {"max_connections",
           [&](const Field& f) {
             reader.ReadInt(f, 1, &http->max_connections);
             if (http->max_connections > 65536) {
               reader.Error(f, "must be at most 65536");
               http->max_connections = 512;
             }
           }},
      });
}

void ReadAlerting(const Field& field, YamlReader& reader, AlertingConfig* alerting) {
  reader.Map(
      field,
      {
          {"alertmanagers",
           [&](const Field& f) { ReadReceivers(f, reader, &alerting->alertmanagers); }},
          {"webhooks",
           [&](const Field& f) { ReadReceivers(f, reader, &alerting->webhooks); }},
          {"resend_interval",
           [&](const Field& f) {
             reader.ReadDuration(f, DurationMin::kPositive, &alerting->resend_interval);
           }},
          {"quota_warning_share",
           [&](const Field& f) {
             std::optional<double> share = reader.Number(f);
             if (share && !(*share > 0 && *share < 1)) {
               reader.Error(
                   f, "must be between 0 and 1 (exclusive), got " + f.node.Scalar());
             } else if (share) {
               alerting->quota_warning_share = *share;
             }
           }},
          {"certification_warning",
           [&](const Field& f) {
             reader.ReadDuration(f, DurationMin::kPositive,
                                 &alerting->certification_warning);
           }},
          {"ca_file", [&](const Field& f) { reader.ReadString(f, &alerting->ca_file); }},
          {"max_ticket_alerts",
           [&](const Field& f) { reader.ReadInt(f, 0, &alerting->max_ticket_alerts); }},
          {"runbook_url",
           [&](const Field& f) {
             // Empty: alerts carry no runbook link.
             if (f.node.IsScalar() && f.node.Scalar().empty()) {
               alerting->runbook_url.clear();
             } else if (auto url = LinkUrl(f, reader)) {
               alerting->runbook_url = std::move(*url);
             }
           }},
      });
}

}  // namespace slamon::config_internal
