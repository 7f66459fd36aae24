// Owner-only files and directories (see private_files.hpp).
#include "platform/log/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace jf::files {

namespace fs = std::filesystem;

namespace {
bool set_error(std::string* error, const std::string& what) {
    if (error) *error = what + ": " + std::strerror(errno);
    return false;
}

// A shared directory (sticky, like /tmp) or the root is never ours to restrict: a data or log
// directory given as one is used as it is, and only our own files in it are made private.
bool shared_dir(const std::string& dir) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) return false;
    return (st.st_mode & S_ISVTX) != 0 || fs::weakly_canonical(dir) == fs::path("/");
}
} // namespace

void restrict_new_files() {
    ::umask(077);
}

bool private_dir(const std::string& dir, std::string* error) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        if (error) *error = dir + ": " + ec.message();
        return false;
    }
    if (shared_dir(dir)) return true;
    if (::chmod(dir.c_str(), 0700) != 0) return set_error(error, dir);
    return true;
}

bool sync_to_disk(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

bool create_private(const std::string& path, std::string* error) {
    // An existing file is only chmod-ed, never opened: closing a descriptor of a database file
    // would drop the POSIX locks another SQLite connection of this process holds on it.
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0) {
        if ((st.st_mode & 0777) == 0600) return true;
        return ::chmod(path.c_str(), 0600) == 0 || set_error(error, path);
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno != EEXIST) return set_error(error, path);
    if (fd >= 0) ::close(fd);
    return ::chmod(path.c_str(), 0600) == 0 || set_error(error, path);
}

int tighten_tree(const std::string& dir) {
    int widened = 0;
    bool failed = false;
    auto tighten = [&](const fs::path& p, mode_t want) {
        struct stat st;
        if (::lstat(p.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return;
        if ((st.st_mode & 0777) == want) return;
        ++widened;
        if (::chmod(p.c_str(), want) != 0) failed = true;
    };
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || shared_dir(dir)) return 0;
    tighten(dir, 0700);
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        auto type = it->symlink_status(ec).type();
        if (type == fs::file_type::directory)
            tighten(it->path(), 0700);
        else if (type == fs::file_type::regular)
            tighten(it->path(), 0600);
    }
    return failed || ec ? -1 : widened;
}

} // namespace jf::files
