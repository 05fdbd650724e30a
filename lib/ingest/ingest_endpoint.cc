#include "ingest/ingest_endpoint.h"

#include <nlohmann/json.hpp>

namespace slamon {
namespace {

constexpr const char* kJson = "application/json";

prometheus::Family<prometheus::Counter>& Requests(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("slamon_ingest_requests_total")
      .Help("Requests to POST /api/v1/events, by result.")
      .Register(registry);
}

prometheus::Counter& Counter(prometheus::Registry& registry, const std::string& name,
                             const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

HttpResponse Json(int status, const nlohmann::json& body) {
  HttpResponse response;
  response.status = status;
  response.content_type = kJson;
  response.body = body.dump() + "\n";
  return response;
}

}  // namespace

IngestEndpoint::IngestEndpoint(IngestCredentials credentials, IngestWriter& writer,
                               prometheus::Registry& registry,
                               std::function<void(const std::string&)> on_failure)
    : credentials_(std::move(credentials)),
      writer_(writer),
      on_failure_(std::move(on_failure)),
      stored_(Requests(registry).Add({{"result", "stored"}})),
      invalid_(Requests(registry).Add({{"result", "invalid"}})),
      unauthorized_(Requests(registry).Add({{"result", "unauthorized"}})),
      too_large_(Requests(registry).Add({{"result", "too_large"}})),
      unavailable_(Requests(registry).Add({{"result", "unavailable"}})),
      events_stored_(Counter(registry, "slamon_ingest_events_stored_total",
                             "Events written to slamon.ticket_events by POST "
                             "/api/v1/events.")),
      events_duplicate_(Counter(registry, "slamon_ingest_events_duplicate_total",
                                "Events POSTed again whose event_id was stored "
                                "before (not stored twice).")) {}

void IngestEndpoint::CountTooLarge() { too_large_.Increment(); }

void IngestEndpoint::Handle(HttpRequest request, HttpRespond respond) {
  if (!credentials_.Admits(request.authorization)) {
    unauthorized_.Increment();
    HttpResponse response = Json(401, {{"error", "unauthorized"}});
    response.headers.emplace_back(
        "WWW-Authenticate", std::string(credentials_.scheme()) + " realm=\"slamon\"");
    respond(std::move(response));
    return;
  }
  auto answer = std::make_shared<HttpRespond>(std::move(respond));
  const bool queued =
      writer_.Submit(std::move(request.body), [this, answer](IngestOutcome outcome) {
        if (outcome.invalid) {
          invalid_.Increment();
          nlohmann::json body = {{"error", outcome.invalid->Message()}};
          if (outcome.invalid->index >= 0) body["index"] = outcome.invalid->index;
          (*answer)(Json(400, body));
          return;
        }
        if (!outcome.written.ok()) {
          unavailable_.Increment();
          if (on_failure_) on_failure_(outcome.written.message());
          HttpResponse response =
              Json(503, {{"error",
                          "the database did not take the batch; nothing was "
                          "stored, send it again"}});
          response.headers.emplace_back("Retry-After", "5");
          (*answer)(std::move(response));
          return;
        }
        stored_.Increment();
        events_stored_.Increment(static_cast<double>(outcome.events_stored));
        events_duplicate_.Increment(static_cast<double>(outcome.events_duplicate));
        (*answer)(Json(200, {{"stored", outcome.events_stored},
                             {"duplicate", outcome.events_duplicate},
                             {"references", outcome.references}}));
      });
  if (!queued) {
    unavailable_.Increment();
    HttpResponse response = Json(
        503, {{"error", "too many batches waiting; nothing was stored, send it again"}});
    response.headers.emplace_back("Retry-After", "1");
    (*answer)(std::move(response));
  }
}

}  // namespace slamon
