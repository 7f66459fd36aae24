// Files that hold secrets or personal data: owner-only on disk (0600 files, 0700 directories).
//
// What a terminal and the hub write (databases and their -wal/-shm, key files, tokens, logs,
// exports with opened numbers) is readable by its owner alone. New files get it from the
// process's umask (restrict_new_files(), called first thing in main) and from create_private();
// an install made by an older version, whose files were 0644 in a 0755 directory, is corrected on
// start by tighten_tree(). See docs/privacy.md.
//
// A shared directory (sticky, like /tmp) or / given as a data or log directory is left as it is.
//
// Index
// - restrict_new_files()   umask 077 for this process: every later file and directory is private
// - private_dir()          makes (with parents) and restricts a directory to 0700
// - create_private()       makes an empty file 0600 if missing, else restricts it to 0600
// - tighten_tree()         an upgrade: every file under a directory to 0600, directories to 0700
// - sync_to_disk()         fsync of a file or a directory (after a rename, the directory's entry)
#pragma once

#include <string>

namespace jf::files {

void restrict_new_files();
// false (and `error` set to the system's text) when the directory cannot be made or restricted.
bool private_dir(const std::string& dir, std::string* error = nullptr);
bool create_private(const std::string& path, std::string* error = nullptr);
// Restricts `dir` and everything under it (symbolic links are not followed). Returns how many
// files or directories were wider than owner-only before (0 on a correct install), or -1 when
// one of them could not be changed.
int tighten_tree(const std::string& dir);
// fsync(2) of `path`, a file or a directory; false when it cannot be opened or synced.
bool sync_to_disk(const std::string& path);

} // namespace jf::files
