// SyncLink: the engine's lifetime in the running kiosk and enrolment off the UI thread.
#include "kiosk/ui/sync_link.hpp"

#include "platform/log/log.hpp"
#include "kiosk/store/store.hpp"

namespace jf::ui {

SyncLink::SyncLink(std::string store_path, sync::SyncOptions options)
    : path_(std::move(store_path)), options_(options) {}

SyncLink::~SyncLink() {
    if (worker_.joinable()) worker_.join();
    if (engine_) engine_->stop();
}

void SyncLink::halt() {
    halted_ = true;
    if (engine_) engine_->stop();
    engine_.reset();
}

bool SyncLink::start_if_enrolled(Store& store) {
    if (halted_) return false;
    if (engine_) return true;
    auto id = load_identity(store);
    if (!id || id->hub_url.empty()) return false;
    engine_ = std::make_unique<sync::SyncEngine>(path_, options_);
    if (!engine_->start()) {
        log::warn("kiosk", "sync_not_started", {{"error", engine_->status().last_error}});
        return false;
    }
    return true;
}

void SyncLink::sync_now() {
    if (engine_) engine_->wake();
}

bool SyncLink::refresh(Context& ctx) {
    bool adopt = false;
    {
        std::lock_guard lock(mu_);
        adopt = progress_.state == EnrolProgress::Succeeded && !progress_.adopted;
    }
    if (adopt) adopt_enrolment(ctx); // enrolled while nobody watched the admin screen
    SyncStatus st;
    st.waiting = ctx.store ? ctx.store->pending_events() : 0;
    if (engine_) {
        sync::SyncStatus e = engine_->status();
        st.engine = true;
        st.online = e.online;
        st.syncing = e.syncing;
        st.last_success = e.last_success;
        st.last_error = e.last_error;
        st.clock_offset_ms = e.clock_known ? e.clock_offset_ms : 0;
        st.refused = e.refused;
        st.restored_copy = e.restored_copy;
        // Something was recorded since the engine last looked: send it now, not at the next poll.
        if (st.waiting > e.events_waiting && !e.syncing) engine_->wake();
    }
    const SyncStatus& was = ctx.sync;
    bool changed = st.waiting != was.waiting || st.online != was.online ||
                   st.syncing != was.syncing || st.last_error != was.last_error ||
                   st.last_success != was.last_success || st.refused != was.refused ||
                   st.restored_copy != was.restored_copy;
    ctx.sync = st;
    return changed;
}

bool SyncLink::begin_enrol(const std::string& hub_url, const std::string& code,
                           sync::EnrollOptions options) {
    {
        std::lock_guard lock(mu_);
        if (progress_.state == EnrolProgress::Running) return false;
        progress_ = {};
        progress_.state = EnrolProgress::Running;
        progress_.hub_url = hub_url;
    }
    if (worker_.joinable()) worker_.join(); // the previous attempt has finished
    options.net = options_;
    worker_ = std::thread([this, hub_url, code, options] {
        sync::EnrollResult r;
        std::string err;
        // Its own connection: the UI thread keeps reading the store meanwhile.
        if (auto store = Store::open(path_, &err)) {
            r = sync::enroll(*store, hub_url, code, options);
        } else {
            r.error = "sync.err.store";
            r.detail = err;
        }
        log::info("kiosk", r.ok ? "enrolled" : "enrol_failed",
                  {{"terminal", r.terminal_id}, {"error", r.error}, {"detail", r.detail}});
        std::lock_guard lock(mu_);
        progress_.result = std::move(r);
        progress_.state = progress_.result.ok ? EnrolProgress::Succeeded : EnrolProgress::Failed;
    });
    return true;
}

EnrolProgress SyncLink::enrol_progress() const {
    std::lock_guard lock(mu_);
    return progress_;
}

void SyncLink::clear_enrol_result() {
    std::lock_guard lock(mu_);
    bool waiting_adoption = progress_.state == EnrolProgress::Succeeded && !progress_.adopted;
    if (progress_.state != EnrolProgress::Running && !waiting_adoption) progress_ = {};
}

void SyncLink::adopt_enrolment(Context& ctx) {
    {
        std::lock_guard lock(mu_);
        if (progress_.state != EnrolProgress::Succeeded || progress_.adopted) return;
        progress_.adopted = true;
    }
    if (!ctx.store) return;
    identity_ = load_identity(*ctx.store);
    if (!identity_) return;
    ctx.identity = &*identity_;
    ctx.fair_id = identity_->fair_id;
    // The hub said what this terminal is for; staff can still change the mode on the panel.
    Mode m;
    if (parse_mode(identity_->mode, &m)) {
        ctx.settings.mode = m;
        ctx.store->set_setting("ui.mode", identity_->mode);
    }
    // An engine started before would hold the old state; a new one reads the enrolled store.
    if (engine_) {
        engine_->stop();
        engine_.reset();
    }
    if (start_if_enrolled(*ctx.store)) engine_->wake();
}

} // namespace jf::ui
