// StoreReader; see store_reader.hpp.
#include "kiosk/store/store_reader.hpp"

#include "platform/log/log.hpp"
#include "kiosk/store/store.hpp"

namespace jf {

StoreReader::StoreReader(std::string path) : path_(std::move(path)) {}

StoreReader::~StoreReader() {
    {
        std::lock_guard<std::mutex> l(mu_);
        stop_ = true;
        waiting_.clear();
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void StoreReader::post(int slot, Job job) {
    std::lock_guard<std::mutex> l(mu_);
    waiting_[slot] = std::move(job);
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    cv_.notify_one();
}

bool StoreReader::idle() const {
    std::lock_guard<std::mutex> l(mu_);
    return waiting_.empty() && !busy_;
}

void StoreReader::run() {
    std::string why;
    auto store = Store::open(path_, &why);
    if (!store) log::warn("store", "reader_unavailable", {{"reason", why}});
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
        cv_.wait(l, [&] { return stop_ || !waiting_.empty(); });
        if (stop_) return;
        Job job = std::move(waiting_.begin()->second);
        waiting_.erase(waiting_.begin());
        busy_ = true;
        l.unlock();
        if (store) job(*store);
        l.lock();
        busy_ = false;
    }
}

} // namespace jf
