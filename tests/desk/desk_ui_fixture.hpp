// The desk's fixture with a headless Driver over the kiosk's screens: the terminal's identity,
// a trusted issuer for codes, the clock at noon on the fair's day.
#pragma once

#include "tests/desk/desk_fixture.hpp"
#include "sync/protocol/credential.hpp"
#include "kiosk/ui/driver.hpp"

#include <imgui.h>

namespace jf::testing {

struct DeskUi {
    DeskFixture f;
    Translations tr;
    SigningKey issuer = SigningKey::generate();
    std::unique_ptr<ui::Driver> driver;

    DeskUi(const std::string& name, ImVec2 size = ImVec2(1920, 1080),
           bool use_current_context = false)
        : f(name) {
        if (!tr.load(JF_ASSETS_DIR "/i18n")) throw std::runtime_error("translations");
        if (!f.store->upsert_issuer_key(issuer.key_id(), issuer.public_key))
            throw std::runtime_error("issuer");
        ui::Context ctx;
        ctx.tr = &tr;
        ctx.store = f.store.get();
        ctx.identity = &f.identity;
        ctx.fair_id = f.fair.id;
        ctx.data_dir = f.dir.string();
        driver = std::make_unique<ui::Driver>(std::move(ctx), size, use_current_context);
        driver->wall = f.noon();
        driver->frames(3);
    }
    ~DeskUi() { driver.reset(); }
    ui::Driver& d() { return *driver; }

    std::string code(CredentialKind kind, const std::string& holder, Date from, Date until,
                     const std::string& fair = {}) const {
        Credential c;
        c.kind = kind;
        c.holder_id = holder;
        c.scope = CredentialScope::Fair;
        c.scope_id = fair.empty() ? f.fair.id : fair;
        c.valid_from = from;
        c.valid_until = until;
        auto sc = issue(c, issuer);
        return sc ? encode(*sc) : "";
    }
    std::string code_today(CredentialKind kind, const std::string& holder) const {
        return code(kind, holder, f.today, f.today);
    }

    // A hand scanner in keyboard-wedge mode: the text as a burst of keys, then Enter.
    void scan(const std::string& text) {
        ImGuiIO& io = ImGui::GetIO();
        for (char c : text)
            io.AddInputCharacter(static_cast<unsigned char>(c));
        io.AddInputCharacter('\r');
        d().frame();
        d().frame();
    }

    // A finger signing across the pad `id`: three strokes.
    void sign(const std::string& id) {
        ImVec2 c = d().center(id);
        for (int k = -1; k <= 1; ++k)
            d().drag(ImVec2(c.x - 300, c.y + k * 60), ImVec2(c.x + 300, c.y - k * 40), 14, 0.3);
    }
};

} // namespace jf::testing
