#pragma once
// The server's metrics during a run: its Prometheus text fetched every interval from the run's
// start until stop(), on a thread of its own (never a worker's: a slow /metrics must not hold up
// the load), each reading filed in the window it was taken in (loadgate/llm/server_metrics.hpp).
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "loadgate/llm/server_metrics.hpp"
#include "loadgate/result.hpp"
#include "loadgate/observation.hpp"

namespace loadgate::engine {

class metrics_scraper {
 public:
  metrics_scraper(llm::scrape_options options, clock::time_point start);
  ~metrics_scraper();  // stop()
  metrics_scraper(const metrics_scraper&) = delete;
  metrics_scraper& operator=(const metrics_scraper&) = delete;

  // No scrape starts after this; one under way finishes first (it is bounded by the interval),
  // and the thread is joined.
  void stop();
  // The readings into r's windows, the counts into r.info. After stop().
  void fill(result& r) const;

 private:
  void scrape_until_stopped();
  void scrape_once();

  llm::scrape_options options_;
  clock::time_point start_;
  std::map<std::size_t, std::map<std::string, double>> readings_;  // by window
  std::uint64_t scrapes_ = 0;
  std::uint64_t failures_ = 0;
  std::string first_error_;
  std::mutex mutex_;
  std::condition_variable stopped_changed_;
  bool stopped_ = false;
  std::thread thread_;  // last: it starts once everything above is in place
};

}  // namespace loadgate::engine
