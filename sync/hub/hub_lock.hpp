// One hub per data directory: an exclusive lock (flock) on <data dir>/hub.lock, held for as long
// as the DataDirLock lives and released by the kernel when the process ends however it ends.
// `serve` holds it; a second `serve` on the same directory is refused with the holder's pid.
#pragma once

#include <memory>
#include <string>

namespace jf::hub {

class DataDirLock {
  public:
    // Creates the directory if needed; null and `error` when another process holds the lock.
    static std::unique_ptr<DataDirLock> acquire(const std::string& data_dir, std::string* error);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

  private:
    explicit DataDirLock(int fd) : fd_(fd) {}
    int fd_;
};

} // namespace jf::hub
