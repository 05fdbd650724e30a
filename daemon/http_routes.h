// What `slamon run` serves over HTTP: the server's options from the config,
// the status routes (/metrics, /-/healthy, /-/ready) and the push API's
// route. The handlers run on the HTTP thread (http/http_server.h); they read
// only what is safe there: the registries (thread-safe; SlaMetrics asks the
// event loop for its figures) and the `ready` flag.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>

#include "config/config.h"
#include "http/http_server.h"
#include "ingest/ingest_endpoint.h"
#include "metrics/sla_metrics.h"

namespace prometheus {
class Registry;
}

namespace slamon {

// http.* as server options; `password` is basic auth's, read by the caller.
HttpServerOptions ServerOptions(const HttpConfig& http,
                                const std::optional<std::string>& password);

// /metrics (the registry's metrics and the SLA metrics, gzip when asked),
// /-/healthy (always 200) and /-/ready (200 once `ready`, else 503). The
// registry, the SLA metrics and the flag must outlive the server.
void RouteStatus(HttpServer& server, const prometheus::Registry& registry,
                 SlaMetrics& sla_metrics, const std::atomic<bool>& ready);

// POST /api/v1/events to `endpoint` (which must outlive the server), bodies
// of up to `max_body_bytes`.
void RouteIngest(HttpServer& server, IngestEndpoint& endpoint,
                 std::size_t max_body_bytes);

}  // namespace slamon
