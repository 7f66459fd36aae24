// flock(2) on a lock file: advisory, exclusive, never waited for, and gone with the process (even
// after SIGKILL), so a crashed hub never leaves a stale lock behind.
#include "sync/hub/hub_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace jf::hub {

std::unique_ptr<DataDirLock> DataDirLock::acquire(const std::string& data_dir, std::string* error) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    auto path = (std::filesystem::path(data_dir) / "hub.lock").string();
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (error) *error = "cannot open " + path + ": " + std::strerror(errno);
        return nullptr;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int why = errno;
        char buf[32] = {0};
        ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
        std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
        while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
            pid.pop_back();
        ::close(fd);
        if (error)
            *error = why == EWOULDBLOCK
                         ? "another jobfair-hub is already serving the data directory " + data_dir +
                               (pid.empty() ? "" : " (pid " + pid + ")") +
                               "; stop it first, or give this one its own --data-dir"
                         : "cannot lock " + path + ": " + std::strerror(why);
        return nullptr;
    }
    // The holder's pid, for the message a second start prints.
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
    return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() {
    ::close(fd_);
}

} // namespace jf::hub
