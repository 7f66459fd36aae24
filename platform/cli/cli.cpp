// The command registry and flag look-up shared by jobfair-kiosk and jobfair-hub.
#include "platform/cli/cli.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace jf::cli {

std::vector<Command>& commands() {
    static std::vector<Command> all;
    return all;
}

std::string option(const Args& args, const std::string& flag, const std::string& fallback) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == flag && i + 1 < args.size()) return args[i + 1];
        if (args[i].rfind(flag + "=", 0) == 0) return args[i].substr(flag.size() + 1);
    }
    return fallback;
}

bool has_flag(const Args& args, const std::string& flag) {
    return std::find(args.begin(), args.end(), flag) != args.end();
}

std::optional<long long> checked_number(const std::string& name, const std::string& text,
                                        long long min, long long max, std::string* error) {
    errno = 0;
    char* end = nullptr;
    long long v = text.empty() ? 0 : std::strtoll(text.c_str(), &end, 10);
    bool whole = !text.empty() && end && *end == '\0' && errno == 0 && text[0] != ' ';
    if (whole && v >= min && v <= max) return v;
    if (error) {
        std::string lo = std::to_string(min), hi = std::to_string(max);
        // The value as given, cut short: it is echoed, not interpreted.
        std::string got = text.substr(0, 40);
        *error = name + " 应为 " + lo + " 到 " + hi + " 之间的整数（收到 “" + got + "”）\n" + name +
                 " must be a whole number from " + lo + " to " + hi + " (got \"" + got + "\")";
    }
    return std::nullopt;
}

std::optional<long long> number_option(const Args& args, const std::string& flag,
                                       long long fallback, long long min, long long max,
                                       std::string* error) {
    bool given = false;
    for (auto& a : args)
        given = given || a == flag || a.rfind(flag + "=", 0) == 0;
    if (!given) return fallback;
    return checked_number(flag, option(args, flag), min, max, error);
}

std::vector<std::string> flags_named_in(const std::string& usage) {
    std::vector<std::string> flags;
    for (size_t i = usage.find("--"); i != std::string::npos; i = usage.find("--", i)) {
        size_t end = i + 2;
        while (end < usage.size() && (std::islower(static_cast<unsigned char>(usage[end])) ||
                                      std::isdigit(static_cast<unsigned char>(usage[end])) ||
                                      usage[end] == '-'))
            ++end;
        // "--" followed by a letter or digit: a flag; a lone "--" or "---" rule is not.
        if (end > i + 2 && usage[i + 2] != '-') flags.push_back(usage.substr(i, end - i));
        i = end;
    }
    std::sort(flags.begin(), flags.end());
    flags.erase(std::unique(flags.begin(), flags.end()), flags.end());
    return flags;
}

std::string unknown_flag(const Args& args, const std::string& usage) {
    auto known = flags_named_in(usage);
    for (auto& a : args) {
        if (a == "--") break; // what follows is operands, whatever it looks like
        if (a.size() < 3 || a.rfind("--", 0) != 0) continue;
        std::string name = a.substr(0, a.find('='));
        if (name != "--help" && !std::binary_search(known.begin(), known.end(), name)) return name;
    }
    return {};
}

void print_commands() {
    auto cmds = commands();
    std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (auto& c : cmds)
        std::printf("  %-18s %s\n", c.name.c_str(), c.summary.c_str());
}

int run_command(const char* program, const std::string& name, const Args& args) {
    for (auto& c : commands()) {
        if (c.name != name) continue;
        if (has_flag(args, "--help")) {
            std::printf("%s\n", c.usage.c_str());
            return 0;
        }
        if (auto bad = unknown_flag(args, c.usage); !bad.empty()) {
            // The flag as given, cut short: it is echoed, not interpreted.
            bad = bad.substr(0, 40);
            std::fprintf(stderr,
                         "%s %s: 未知选项 %s（可用选项见 %s %s --help）\n"
                         "%s %s: unknown option %s (see %s %s --help)\n",
                         program, name.c_str(), bad.c_str(), program, name.c_str(), program,
                         name.c_str(), bad.c_str(), program, name.c_str());
            return 2;
        }
        return c.run(args);
    }
    std::fprintf(stderr, "%s: unknown command '%s' (see %s --help)\n", program, name.c_str(),
                 program);
    return 2;
}

} // namespace jf::cli
