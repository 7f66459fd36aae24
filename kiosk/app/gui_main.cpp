// The touchscreen application: command-line flags, the data directory and store, the window, and
// the frame loop with its pacing (sleep until input or a view's next deadline; continuous frames,
// capped at 60 per second, only while something moves).
//
// Index
// - Flags        parsing and validation (a clear message and exit 2 on a bad value)
// - Start-up     translations, store (demo seeding), identity, settings, fonts, window, views
// - Frame loop   pacing, sync status, close requests, screenshots
#include "kiosk/app/commands.hpp"
#include "kiosk/domain/clock.hpp"
#include "kiosk/domain/numbers.hpp"

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/desk/receipt.hpp"
#include "sync/engine/engine.hpp"
#include "kiosk/forms/export.hpp"
#include "platform/gfx/window.hpp"
#include "kiosk/i18n/i18n.hpp"
#include "platform/log/log.hpp"
#include "platform/log/private_files.hpp"
#include "platform/print/escpos.hpp"
#include "platform/print/printer.hpp"
#include "platform/sound/sound.hpp"
#include "platform/sound/speech.hpp"
#include "kiosk/store/demo.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/app.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/pin.hpp"
#include "kiosk/ui/sync_link.hpp"
#include "kiosk/ui/views.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <malloc.h>
#include <mutex>
#include <optional>
#include <sys/resource.h>
#include <thread>

namespace jf::app {

const char* gui_usage() {
    return "  --data-dir DIR        the terminal's data directory (default "
           "~/.local/share/jobfair-kiosk)\n"
           "  --demo                seed the data directory with the demo fair on first start\n"
           "                        (demo admin PIN 123456 until changed on the admin screen)\n"
           "  --lang zh|en          language of the screens (default zh, or as set on the admin "
           "screen)\n"
           "  --mode entrance|employer|station\n"
           "                        which screen this terminal starts on (default: as "
           "enrolled/set)\n"
           "  --windowed WxH        a window of that size instead of fullscreen (e.g. 1080x1920 "
           "portrait)\n"
           "  --monitor N           fullscreen on monitor N (0 = primary)\n"
           "  --hide-cursor         hide the mouse pointer (touchscreens)\n"
           "  --large-text          start with large text\n"
           "  --high-contrast       start with high-contrast colours\n"
           "  --elder               start in the mode for older eyes (larger, slower, spoken)\n"
           "  --screen NAME         start on screen NAME (station, admin, ...)\n"
           "  --printer DEST        receipt printer for walk-up slips, this start only (default: "
           "as set\n"
           "                        on the admin screen): /dev/usb/lp0, /dev/ttyUSB0[@BAUD], a "
           "file,\n"
           "                        tcp://HOST[:9100]; --printer none prints nothing\n"
           "  --paper 58|80         receipt paper width in mm (or dots: 384, 576)\n"
           "  --screenshot FILE.png render --frames N frames (default 3), save the window as PNG, "
           "exit\n"
           "  --frames N\n";
}

namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) {
    g_stop = true;
}

double mono_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

double process_cpu_s() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    return buf;
}

// What the frame loop costs, logged every 10 minutes and at exit ("frame_stats"): frames shown
// and skipped as unchanged, wake-ups, the main thread's CPU per shown frame in each phase (build:
// the screens' ImGui code; render: GL commands; present: the swap, which under software GL waits
// for the rasteriser threads), and the whole process's CPU in % of one core. It tells whether an
// idle terminal really rests.
constexpr double kStatsEvery = 600;
struct FrameStats {
    double since = 0, cpu_at = 0;
    int64_t shown = 0, skipped = 0, wakes = 0;
    double build_s = 0, render_s = 0, present_s = 0;
    void reset(double now) {
        *this = FrameStats{};
        since = now;
        cpu_at = process_cpu_s();
    }
    void log(double now) const {
        double secs = std::max(1e-3, now - since);
        double per = static_cast<double>(std::max<int64_t>(1, shown));
        log::info("kiosk", "frame_stats",
                  {{"seconds", fixed(secs, 1)},
                   {"frames", std::to_string(shown)},
                   {"skipped", std::to_string(skipped)},
                   {"wakes", std::to_string(wakes)},
                   {"frames_per_min", fixed(shown * 60 / secs, 1)},
                   {"build_ms", fixed(build_s * 1000 / per, 2)},
                   {"render_ms", fixed(render_s * 1000 / per, 2)},
                   {"present_ms", fixed(present_s * 1000 / per, 2)},
                   {"cpu_pct", fixed(100 * (process_cpu_s() - cpu_at) / secs, 2)}});
    }
};

int fail(const std::string& msg) {
    std::fprintf(stderr, "jobfair-kiosk: %s\n", msg.c_str());
    return 2;
}

std::string default_data_dir() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    if (xdg && *xdg) return std::string(xdg) + "/jobfair-kiosk";
    return std::string(home && *home ? home : ".") + "/.local/share/jobfair-kiosk";
}

// A message key for the operator's terminal and the log: both languages, never the raw key.
std::string both_languages(Translations& tr, std::string_view key, Lang shown) {
    tr.set_lang(Lang::ZhCN);
    std::string zh = tr.tr(key);
    tr.set_lang(Lang::EnUS);
    std::string en = tr.tr(key);
    tr.set_lang(shown);
    return zh == en ? zh : zh + " / " + en;
}

// How often a running terminal checks its database file (PRAGMA quick_check on a connection of
// its own, off the screen's thread).
constexpr double kIntegrityEvery = 600;

// Without a store there is nothing to show but what happened and what to do: this screen, until
// the terminal is stopped. With --screenshot it draws, saves and exits 3.
int run_fault_screen(Translations& tr, gfx::WindowOptions wopt, ui::StoreFault fault,
                     const std::string& screenshot, int frames) {
    ui::Fonts fonts;
    std::string font_path, err;
    int font_index = 0;
    if (!ui::Fonts::find_default(&font_path, &font_index) ||
        !fonts.load(font_path, font_index, &err))
        return 2;
    fonts.seed(tr.all_text());
    gfx::Window window;
    wopt.title = tr.tr("app.title");
    if (!window.open(wopt, &err)) return 2;
    fonts.set_max_texture_size(window.max_texture_size());
    ui::Context ctx;
    ctx.tr = &tr;
    ctx.fonts = &fonts;
    ctx.settings.lang = tr.lang();
    ctx.store_fault = std::move(fault);
    ui::App app(std::move(ctx));
    app.on_fonts_rebuilt = [&] { window.reload_font_texture(); };
    int drawn = 0;
    while (!g_stop) {
        window.wait(screenshot.empty() && drawn > 3 ? 2.0 : 0);
        if (window.close_requested()) window.clear_close_request();
        gfx::PointerState p = window.begin_frame();
        ui::FrameInput in;
        in.now = mono_now();
        in.wall = now_ms();
        in.size = ImVec2(static_cast<float>(window.width()), static_cast<float>(window.height()));
        in.pointer = ImVec2(p.x, p.y);
        in.down = p.down;
        app.frame(in);
        if (app.fonts_stale()) continue;
        window.render(IM_COL32(178, 34, 34, 255));
        if (!screenshot.empty() && ++drawn >= frames) {
            if (!window.save_screenshot(screenshot, &err)) return 2;
            return 3;
        }
        ++drawn;
        window.present();
    }
    return 3;
}

bool setting_bool(const Store& s, const char* key, bool fallback) {
    auto v = s.setting(key);
    return v ? *v == "1" : fallback;
}

} // namespace

std::string message_text(std::string_view key) {
    Translations tr;
    if (!tr.load(assets_dir() + "/i18n")) return std::string(key);
    return both_languages(tr, key, Lang::ZhCN);
}

int run_gui(const Args& args) {
    // -- Flags ------------------------------------------------------------------
    // The options gui_usage() names, and no others (one flag parser: platform/cli/cli.hpp).
    if (auto bad = cli::unknown_flag(args, gui_usage()); !bad.empty())
        return fail("unknown option " + bad.substr(0, 40) + " (see --help)");
    std::string data_dir = option(args, "--data-dir", default_data_dir());
    bool demo = has_flag(args, "--demo");
    std::string lang_arg = option(args, "--lang");
    if (!lang_arg.empty() && lang_arg != "zh" && lang_arg != "en")
        return fail("--lang must be zh or en");
    std::string mode_arg = option(args, "--mode");
    ui::Mode mode_flag = ui::Mode::Station;
    if (!mode_arg.empty() && !ui::parse_mode(mode_arg, &mode_flag))
        return fail("--mode must be entrance, employer or station");
    gfx::WindowOptions wopt;
    std::string windowed = option(args, "--windowed");
    if (!windowed.empty()) {
        if (std::sscanf(windowed.c_str(), "%dx%d", &wopt.width, &wopt.height) != 2 ||
            wopt.width < 320 || wopt.height < 240 || wopt.width > 16384 || wopt.height > 16384)
            return fail("--windowed takes WIDTHxHEIGHT, e.g. 1920x1080");
    }
    std::string why;
    auto monitor = number_option(args, "--monitor", 0, 0, 15, &why);
    if (!monitor) return fail(why);
    wopt.monitor = static_cast<int>(*monitor);
    wopt.hide_cursor = has_flag(args, "--hide-cursor");
    std::string screenshot = option(args, "--screenshot");
    auto frames_arg = number_option(args, "--frames", 3, 1, 100000, &why);
    if (!frames_arg) return fail(why);
    int frames = static_cast<int>(*frames_arg);
    std::string printer_arg = option(args, "--printer");
    if (!printer_arg.empty() && printer_arg != "none" && !print::parse_destination(printer_arg))
        return fail("--printer takes a device or file path or tcp://HOST[:PORT], e.g. "
                    "/dev/usb/lp0 or tcp://192.168.1.50:9100");
    std::string paper_arg = option(args, "--paper");
    if (!paper_arg.empty() && !print::paper_dots(paper_arg))
        return fail("--paper takes 58, 80 or a width in dots (a multiple of 8)");

    // -- Start-up -----------------------------------------------------------------
    double t_start = mono_now();
    if (!crypto_init()) return fail("libsodium failed to start");
    std::string dir_error;
    if (!files::private_dir(data_dir, &dir_error))
        return fail("cannot create the data directory " + dir_error);
    // An install made before files were owner-only is corrected here (docs/privacy.md).
    int widened = files::tighten_tree(data_dir);
    log::open(data_dir + "/logs", "kiosk");
    if (widened != 0) log::warn("kiosk", "private_files", {{"corrected", std::to_string(widened)}});
    Translations tr;
    std::string err;
    if (!tr.load(assets_dir() + "/i18n", &err)) return fail("translations: " + err);
    if (lang_arg == "en") tr.set_lang(Lang::EnUS);
    std::string db_path = data_dir + "/kiosk.db";
    auto store = Store::open(db_path, &err);
    if (!store) {
        // Nothing is created or replaced: the file stays as it is for recovery.
        log::error("kiosk", "store_refused", {{"key", err}, {"path", db_path}});
        log::flush();
        std::fprintf(stderr, "jobfair-kiosk: %s: %s\n", db_path.c_str(),
                     both_languages(tr, err, tr.lang()).c_str());
        return run_fault_screen(tr, wopt, {err, db_path, ""}, screenshot, frames);
    }
    // The file opened: is every page of it sound? A damaged store records nothing more, is not
    // synced, is copied aside for recovery, and every screen says so.
    ui::StoreFault damage;
    auto on_damage = [&](const IntegrityReport& r) {
        damage.key = r.key;
        damage.detail = r.detail;
        damage.copy = Store::keep_copy(db_path, now_ms());
        store->refuse_writes();
        log::error("kiosk", "store_damaged",
                   {{"detail", r.detail}, {"copy", damage.copy}, {"path", db_path}});
        log::flush();
        std::fprintf(stderr, "jobfair-kiosk: %s: %s (%s)\n", db_path.c_str(),
                     both_languages(tr, r.key, tr.lang()).c_str(), r.detail.c_str());
    };
    if (auto r = store->check_integrity(); !r.ok) on_damage(r);
    Date today = cst_date(now_ms());
    // Every demo start refreshes the demo's dates, so its fair is today and its listings are open.
    if (demo && damage.key.empty()) {
        if (!seed_demo(*store, assets_dir() + "/demo", today, &err))
            return fail("demo data: " + both_languages(tr, err, tr.lang()));
        log::info("kiosk", "demo_seeded", {{"dir", data_dir}});
    }
    std::optional<TerminalIdentity> identity = load_identity(*store);

    ui::Context ctx;
    ctx.tr = &tr;
    ctx.store = store.get();
    ctx.identity = identity ? &*identity : nullptr;
    ctx.data_dir = data_dir;
    ctx.store_fault = damage;
    ctx.build_day = JF_BUILD_DAY;
    ctx.fair_id = identity ? identity->fair_id : "";
    if (ctx.fair_id.empty()) {
        auto fairs = store->fairs();
        if (!fairs.empty()) ctx.fair_id = fairs.front().id;
    }
    ui::Settings& s = ctx.settings;
    s.lang = store->setting("ui.lang").value_or("zh") == "en" ? Lang::EnUS : Lang::ZhCN;
    if (!lang_arg.empty()) s.lang = lang_arg == "en" ? Lang::EnUS : Lang::ZhCN;
    s.large_text = has_flag(args, "--large-text") || setting_bool(*store, "ui.large_text", false);
    s.high_contrast =
        has_flag(args, "--high-contrast") || setting_bool(*store, "ui.high_contrast", false);
    s.elder = has_flag(args, "--elder") || setting_bool(*store, "ui.elder", false);
    s.volume = std::clamp(parse_int<int>(store->setting("ui.volume").value_or("80")).value_or(80), 0, 100);
    std::string mode = store->setting("ui.mode").value_or(identity ? identity->mode : "station");
    if (!ui::parse_mode(mode, &s.mode)) s.mode = ui::Mode::Station;
    if (!mode_arg.empty()) s.mode = mode_flag;
    // The receipt printer: the admin setting, or --printer / --paper for this start.
    desk::PrinterConfig printer = desk::printer_config(*store);
    ctx.printer = printer.destination;
    ctx.printer_dots = printer.paper_dots;
    if (!printer_arg.empty()) {
        ctx.printer = printer_arg == "none" ? "" : printer_arg;
        ctx.printer_from_flag = true;
    }
    if (!paper_arg.empty()) ctx.printer_dots = print::paper_dots(paper_arg);

    // The admin screen's export: this week's forms into the chosen folder (a USB stick).
    Store* store_ptr = store.get();
    ctx.export_reports = [store_ptr](const std::string& folder, std::string* key) {
        bool ok = forms::export_current_week(*store_ptr, folder, now_ms(), key);
        log::info("kiosk", ok ? "reports_exported" : "reports_export_failed",
                  {{"folder", folder}, {"key", *key}});
        return ok;
    };

    // Verdict sounds; a terminal without a sound card stays silent and works on.
    sound::Player player;
    std::string sound_err;
    if (!player.open(&sound_err)) log::info("kiosk", "sound_unavailable", {{"reason", sound_err}});
    ctx.play = [&player](std::string_view name) { player.play(name); };
    // Spoken prompts in the mode for older eyes: espeak-ng on the speaker's own thread (not run
    // at all without a sound device to hear it on).
    sound::Speaker speaker(&player);
    bool speech_told = false;
    if (player.available())
        ctx.say = [&speaker](std::string_view text, Lang lang) {
            speaker.say(text, lang == Lang::EnUS ? "en" : "cmn");
        };

    ui::Fonts fonts;
    std::string font_path;
    int font_index = 0;
    if (!ui::Fonts::find_default(&font_path, &font_index))
        return fail("no CJK font found: install the Debian package fonts-noto-cjk");
    if (!fonts.load(font_path, font_index, &err)) return fail(err);
    fonts.seed(tr.all_text());
    ctx.fonts = &fonts;

    gfx::Window window;
    wopt.title = tr.tr("app.title");
    if (!window.open(wopt, &err)) return fail(err);
    fonts.set_max_texture_size(window.max_texture_size());
    ctx.textures.create = [&](const uint8_t* rgba, int w, int h) {
        return window.create_texture(rgba, w, h);
    };
    ctx.textures.destroy = [&](uintptr_t id) { window.destroy_texture(id); };

    ctx.low_power = window.software_rendering();
    ui::SyncLink hub(data_dir + "/kiosk.db");
    ctx.hub = &hub;
    ui::App app(std::move(ctx));
    app.on_fonts_rebuilt = [&] {
        window.reload_font_texture();
        // FreeType's build-time glyph buffers are freed by now; hand the pages back to the system.
        malloc_trim(0);
        log::info("kiosk", "font_atlas",
                  {{"width", std::to_string(fonts.tex_width())},
                   {"height", std::to_string(fonts.tex_height())},
                   {"glyphs", std::to_string(fonts.glyph_count())},
                   {"ms", std::to_string(static_cast<int>(fonts.last_build_ms()))}});
    };
    for (auto& v : ui::make_views())
        app.add_view(std::move(v));
    app.show(option(args, "--screen"));

    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    log::info("kiosk", "started",
              {{"mode", ui::mode_code(app.ctx().settings.mode)},
               {"font", font_path},
               {"printer", app.ctx().printer}});

    // -- Frame loop -------------------------------------------------------------------
    double next_status = 0;
    bool first = true;
    ui::FrameOutcome out;
    out.continuous = true;
    int drawn = 0;
    // 60 Hz under a finger; 30 Hz for animations nobody is touching (the listings' slide), which
    // halves the idle cost and still looks smooth.
    // On CPU-rendered GL every frame costs ~20 ms of a core at 1080p: unattended slides get 10 Hz.
    bool low_power = app.ctx().low_power;
    auto frame_period = [low_power](const ui::FrameOutcome& o) {
        return o.interactive ? 1.0 / 60 : low_power ? 1.0 / 10 : 1.0 / 30;
    };
    int redraws = 0;
    double frame_start = mono_now();
    // A frame whose draw lists equal the last shown one (the first and last step of a slide, a
    // status poll that changed nothing visible) is neither rendered nor swapped: under software
    // GL rendering and the swap are nearly all of a frame's cost.
    uint64_t shown_signature = 0;
    FrameStats stats;
    stats.reset(mono_now());
    double next_stats = mono_now() + kStatsEvery;
    // The sync engine runs once the terminal is enrolled with a hub (at start, or from the admin
    // screen); until then (and in the demo) the screens show how many records wait for a hub.
    if (damage.key.empty())
        hub.start_if_enrolled(*store);
    else
        hub.halt();
    // The periodic check runs on a thread of its own with its own connection; the frame loop
    // takes its finding.
    std::mutex check_mu;
    std::condition_variable check_cv;
    std::optional<IntegrityReport> found;
    std::thread checker([&] {
        std::unique_lock<std::mutex> lock(check_mu);
        while (!g_stop && damage.key.empty()) {
            check_cv.wait_for(lock, std::chrono::duration<double>(kIntegrityEvery));
            if (g_stop) break;
            lock.unlock();
            std::string why;
            auto conn = Store::open(db_path, &why);
            IntegrityReport r;
            if (conn)
                r = conn->check_integrity();
            else if (why != "err.store.db") // busy is no finding; a file gone bad is
                r = {false, why, db_path};
            conn.reset();
            lock.lock();
            if (!r.ok) {
                found = r;
                break;
            }
        }
    });
    struct Joiner {
        std::thread& t;
        std::mutex& mu;
        std::condition_variable& cv;
        ~Joiner() {
            {
                std::lock_guard<std::mutex> l(mu);
                g_stop = true;
            }
            cv.notify_all();
            if (t.joinable()) t.join();
        }
    } joiner{checker, check_mu, check_cv};
    auto poll_status = [&] { return hub.refresh(app.ctx()); };
    poll_status();
    double waited = 0; // slept waiting for input since the last frame was built
    while (!g_stop) {
        bool events = false;
        if (screenshot.empty()) {
            // Sleep until input, a view's deadline, or (while animating) the next frame slot;
            // under Xvfb vsync does not throttle, so the cap is ours.
            double now = mono_now();
            // An input's result is drawn at once: the frames after it are not paced.
            double timeout = out.settling     ? 0.0
                             : out.continuous ? std::max(0.0, frame_start + frame_period(out) - now)
                                              : std::clamp(out.wake_at - now, 0.0, 2.0);
            double wait_from = mono_now();
            events = window.wait(timeout);
            waited += mono_now() - wait_from;
            ++stats.wakes;
            bool status_changed = false;
            if (mono_now() >= next_status) {
                std::optional<IntegrityReport> r;
                {
                    std::lock_guard<std::mutex> l(check_mu);
                    r = std::exchange(found, std::nullopt);
                }
                if (r && app.ctx().store_fault.key.empty()) {
                    on_damage(*r);
                    hub.halt();
                    app.ctx().store_fault = damage;
                    status_changed = true;
                }
                status_changed = poll_status() || status_changed;
                next_status = mono_now() + 1.0;
            }
            if (mono_now() >= next_stats) {
                stats.log(mono_now());
                stats.reset(mono_now());
                next_stats = mono_now() + kStatsEvery;
            }
            // Woken for nothing new (the 2 s cap keeps signals answered): draw nothing.
            if (!events && !status_changed && !out.continuous && mono_now() < out.wake_at) continue;
        } else {
            window.wait(0);
        }
        frame_start = mono_now();
        if (window.close_requested()) {
            // A kiosk closes only from the admin screen; window-manager close requests are refused.
            log::info("kiosk", "close_refused");
            window.clear_close_request();
        }
        double cpu0 = thread_cpu_s();
        gfx::PointerState p = window.begin_frame();
        ui::FrameInput in;
        in.now = frame_start;
        in.wall = now_ms();
        in.size = ImVec2(static_cast<float>(window.width()), static_cast<float>(window.height()));
        in.pointer_present = p.present;
        in.pointer = ImVec2(p.x, p.y);
        in.down = p.down;
        in.enter = p.enter_pressed;
        in.events = events;
        in.waited = waited;
        waited = 0;
        player.set_volume(app.ctx().settings.volume);
        if (!speech_told && !speaker.last_error().empty()) { // espeak-ng missing or failing
            log::warn("kiosk", "speech_unavailable", {{"reason", speaker.last_error()}});
            speech_told = true;
        }
        out = app.frame(in);
        double cpu1 = thread_cpu_s();
        stats.build_s += cpu1 - cpu0;
        if (app.fonts_stale() && redraws < 2) {
            ++redraws; // new characters: rebuild the atlas and draw this frame again, unseen
            out.continuous = true;
            frame_start = 0;
            continue;
        }
        redraws = 0;
        // A frame already out of date (a tap that is over, a click's own frame, intents applied
        // after drawing) is not rendered: the next one is built at once and shows the result.
        if (!first && screenshot.empty() && !out.quit && (p.released || out.stale)) {
            ++stats.skipped;
            continue;
        }
        uint32_t bg = ui::palette(app.ctx()).bg;
        uint64_t signature = gfx::draw_signature(ImGui::GetDrawData(), bg);
        bool damaged = window.take_damage();
        if (!first && screenshot.empty() && !damaged && signature == shown_signature) {
            ++stats.skipped;
            stats.build_s += thread_cpu_s() - cpu1;
            if (out.quit) {
                log::info("kiosk", "quit_from_admin");
                break;
            }
            continue;
        }
        shown_signature = signature;
        window.render(bg);
        double cpu2 = thread_cpu_s();
        stats.render_s += cpu2 - cpu1;
        ++drawn;
        ++stats.shown;
        if (first) {
            // The demo's published PIN, set after the first frame: its slow hash must not delay it.
            if (demo && !ui::PinGuard(*store).is_set()) ui::PinGuard(*store).set("123456");
            log::info("kiosk", "first_frame",
                      {{"ms", std::to_string(static_cast<int>((mono_now() - t_start) * 1000))}});
            log::flush();
            first = false;
            stats.reset(mono_now()); // the figures describe the running terminal, not its start
        }
        if (!screenshot.empty() && drawn >= frames) {
            if (!window.save_screenshot(screenshot, &err)) return fail(err);
            window.present();
            break;
        }
        window.present();
        stats.present_s += thread_cpu_s() - cpu2;
        if (out.quit) {
            log::info("kiosk", "quit_from_admin");
            break;
        }
    }
    stats.log(mono_now());
    log::flush();
    return 0;
}

} // namespace jf::app
