#include "runtime/figures_on_loop.h"

#include <boost/asio/post.hpp>
#include <exception>
#include <future>
#include <memory>
#include <utility>

namespace slamon {

FiguresSource FiguresOnLoop(boost::asio::io_context& loop, FiguresSource snapshot,
                            std::chrono::milliseconds timeout) {
  auto shared = std::make_shared<FiguresSource>(std::move(snapshot));
  return [&loop, shared, timeout]() -> std::optional<SlaFigures> {
    if (loop.get_executor().running_in_this_thread()) return (*shared)();
    // Shared with the posted handler: whichever ends last frees it.
    auto answer = std::make_shared<std::promise<std::optional<SlaFigures>>>();
    std::future<std::optional<SlaFigures>> future = answer->get_future();
    boost::asio::post(loop, [answer, shared] {
      try {
        answer->set_value((*shared)());
      } catch (...) {
        answer->set_exception(std::current_exception());
      }
    });
    if (future.wait_for(timeout) != std::future_status::ready) return std::nullopt;
    try {
      return future.get();
    } catch (const std::exception&) {
      return std::nullopt;  // the snapshot failed: show the last figures
    }
  };
}

}  // namespace slamon
