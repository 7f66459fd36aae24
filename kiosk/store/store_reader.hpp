// StoreReader: reads the terminal's store on a thread of its own, so a slow query (a count over
// a million listings) never holds the screen's frame.
//
// It opens its own connection on the same file (WAL lets it read while the screen's connection
// and the sync thread write) the first time a job is posted. Jobs run one at a time in the order
// posted; a job still waiting in a slot is replaced by a newer one for the same slot (a person
// typing a search wants only the last query's count). A job's result goes wherever the job puts
// it: a screen polls for it on its next frames.
//
// Recipe
//     StoreReader reader(store.file());
//     auto count = std::make_shared<std::atomic<int64_t>>(-1);
//     reader.post(kCountSlot, [q, count](const Store& s) { count->store(s.count_listings(q)); });
//     ... each frame: if (*count >= 0) show it, else ask for another frame soon.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace jf {

class Store;

class StoreReader {
  public:
    explicit StoreReader(std::string path);
    ~StoreReader(); // waits for the running job, drops the waiting ones
    StoreReader(const StoreReader&) = delete;
    StoreReader& operator=(const StoreReader&) = delete;

    using Job = std::function<void(const Store&)>;
    // Runs `job` on the reader's connection; a job waiting in the same slot is dropped. A store
    // that cannot be opened runs no job (the screen keeps what it showed).
    void post(int slot, Job job);
    // No job waiting or running (for tests that wait for a result).
    bool idle() const;

  private:
    void run();

    std::string path_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::map<int, Job> waiting_;
    bool busy_ = false, stop_ = false;
    std::thread thread_;
};

} // namespace jf
