#include "http_routes.h"

#include <prometheus/registry.h>

#include "metrics/exposition.h"

namespace slamon {

HttpServerOptions ServerOptions(const HttpConfig& http,
                                const std::optional<std::string>& password) {
  HttpServerOptions options;
  options.listen = http.listen;
  options.max_connections = static_cast<std::size_t>(http.max_connections);
  if (http.tls) options.tls = HttpTlsOptions{http.tls->cert_file, http.tls->key_file};
  if (http.basic_auth && password)
    options.basic_auth = HttpBasicAuthOptions{http.basic_auth->username, *password};
  return options;
}

void RouteStatus(HttpServer& server, const prometheus::Registry& registry,
                 SlaMetrics& sla_metrics, const std::atomic<bool>& ready) {
  server.Route("/metrics", [&registry, &sla_metrics](const HttpRequest&) {
    return HttpResponse{200,
                        std::string(kMetricsContentType),
                        RenderMetrics({&registry, &sla_metrics}),
                        {},
                        true};
  });
  server.Route("/-/healthy", [](const HttpRequest&) {
    return HttpResponse{
        200, "text/plain; charset=utf-8", "slamon is healthy.\n", {}, false};
  });
  server.Route("/-/ready", [&ready](const HttpRequest&) {
    if (ready.load())
      return HttpResponse{
          200, "text/plain; charset=utf-8", "slamon is ready.\n", {}, false};
    return HttpResponse{503,
                        "text/plain; charset=utf-8",
                        "slamon is loading the ticket database.\n",
                        {},
                        false};
  });
}

void RouteIngest(HttpServer& server, IngestEndpoint& endpoint,
                 std::size_t max_body_bytes) {
  server.RoutePost(
      "/api/v1/events", max_body_bytes,
      [&endpoint](HttpRequest request, HttpRespond respond) {
        endpoint.Handle(std::move(request), std::move(respond));
      },
      [&endpoint] { endpoint.CountTooLarge(); });
}

}  // namespace slamon
