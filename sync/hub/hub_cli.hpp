// Helpers shared by the hub's staff commands: opening the store named by --data-dir / --config.
#pragma once

#include "sync/hub/commands.hpp"
#include "sync/hub/hub_server.hpp"
#include "sync/hub/hub_store.hpp"

#include <memory>

namespace jf::hub {

// Fills `cfg` from --config FILE (if given) and then the flags, which win.
bool config_from_args(const Args& args, ServeConfig& cfg, std::string* error);
// The hub store of --data-dir (or the config's data_dir); prints the reason and returns null.
std::unique_ptr<HubStore> open_store_from_args(const Args& args);
std::string format_time(TimeMs t); // local CST text, "-" for 0
// Staff commands write their JSON log lines (revocation, quarantine release, backup, restore)
// to <--log-dir>/hub.log when given; false (and nothing logged) without it.
bool open_staff_log(const Args& args);

// The attendee registry from a CSV (or XLSX/XLS: the forms' table reader) with a header row
// naming its columns (any order): 编号/id,
// 姓名/name, 手机号码/phone, 身份证号码/resident_id, 性别/gender, 拼音首字母/initials,
// 重点群体/key_groups, 单位/unit, 活动/campaign. ID and phone numbers are validated, sealed to the
// hub's key and masked; the plain numbers are kept nowhere.
struct AttendeeImport {
    std::vector<Attendee> attendees;
    std::vector<std::string> problems; // "row N: message key"
};
AttendeeImport read_attendees_csv(const std::string& path, const Bytes& seal_public_key);

} // namespace jf::hub
