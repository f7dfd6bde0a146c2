// Sync windows (reference 5.2; argo-cd types.go SyncWindows.Matches/Active/CanSync), the cron
// parser and Next of robfig/cron v3 (parser.go, spec.go), Go's time.ParseDuration, and time zones
// read from TZif (the POSIX footer rules Go's time package applies).
#include <gtest/gtest.h>

#include "sim/argocd/cron_schedule.h"
#include "sim/argocd/sync_window.h"
#include "sim/argocd/time_zone.h"

namespace fleetsim {
namespace {

constexpr int64_t kUs = 1000000;

int64_t Unix(int64_t y, int m, int d, int h, int mi, int s = 0) {
  return DaysFromCivil(y, m, d) * 86400 + h * 3600 + mi * 60 + s;
}

// A TZif v2 file with no transitions and only a POSIX footer: Go then applies the footer rule.
std::string FooterOnlyTzif(const std::string& footer) {
  std::string header = "TZif2" + std::string(15, '\0');
  auto counts = [](std::string& out) {
    for (int i = 0; i < 6; ++i) out += std::string(i == 4 ? "\0\0\0\1" : "\0\0\0\0", 4);
  };
  std::string out = header;
  counts(out);
  out += std::string("\0\0\x0e\x10\0\0", 6);  // one type: +3600, not DST, name index 0
  out += header;
  counts(out);
  out += std::string("\0\0\x0e\x10\0\0", 6);
  return out + "\n" + footer + "\n";
}

TimeZone Berlin() {
  Result<TimeZone> z = TimeZone::FromTzif(FooterOnlyTzif("CET-1CEST,M3.5.0,M10.5.0/3"));
  EXPECT_TRUE(z.ok()) << (z.ok() ? "" : z.error());
  return z.ok() ? *z : TimeZone::Utc();
}

CronSchedule Cron(const std::string& spec) {
  Result<CronSchedule> c = CronSchedule::Parse(spec, false, nullptr);
  EXPECT_TRUE(c.ok()) << spec << ": " << (c.ok() ? "" : c.error());
  return c.ok() ? *c : *CronSchedule::Parse("* * * * *", false, nullptr);
}

std::string CronError(const std::string& spec) {
  Result<CronSchedule> c = CronSchedule::Parse(spec, false, nullptr);
  return c.ok() ? "ok" : c.error();
}

TEST(CronScheduleTest, ParseErrorsAsRobfig) {
  EXPECT_EQ(CronError(""), "empty spec string");
  EXPECT_EQ(CronError("0 17 * *"), "expected exactly 5 fields, found 4: [0 17 * *]");
  EXPECT_EQ(CronError("@daily"), "parser does not accept descriptors: @daily");
  EXPECT_EQ(CronError("61 * * * *"), "end of range (61) above maximum (59): 61");
  EXPECT_EQ(CronError("0 0 0 * *"), "beginning of range (0) below minimum (1): 0");
  EXPECT_EQ(CronError("*/0 * * * *"), "step of range should be a positive number: */0");
  EXPECT_EQ(CronError("5-2 * * * *"), "beginning of range (5) beyond end of range (2): 5-2");
  EXPECT_EQ(CronError("x * * * *"),
            "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
  EXPECT_EQ(CronError("1-2-3 * * * *"), "too many hyphens: 1-2-3");
  EXPECT_EQ(CronError("TZ=Mars/Olympus 0 * * * *"),
            "provided bad location Mars/Olympus: unknown time zone Mars/Olympus");
  EXPECT_EQ(CronError("0 9 * JAN mon"), "ok");
}

TEST(CronScheduleTest, DescriptorsWhenEnabled) {
  Result<CronSchedule> daily = CronSchedule::Parse("@daily", true, nullptr);
  ASSERT_TRUE(daily.ok());
  EXPECT_EQ(daily->Next(Unix(2026, 1, 15, 10, 0)), Unix(2026, 1, 16, 0, 0));
  EXPECT_FALSE(CronSchedule::Parse("@every 1h", true, nullptr).ok());
}

TEST(CronScheduleTest, NextIsStrictlyLater) {
  CronSchedule c = Cron("0 17 * * *");
  EXPECT_EQ(c.Next(Unix(2026, 1, 15, 16, 59, 59)), Unix(2026, 1, 15, 17, 0));
  EXPECT_EQ(c.Next(Unix(2026, 1, 15, 17, 0)), Unix(2026, 1, 16, 17, 0));
  EXPECT_EQ(Cron("*/15 * * * *").Next(Unix(2026, 1, 15, 23, 50)), Unix(2026, 1, 16, 0, 0));
  EXPECT_EQ(Cron("0 0 1 1 *").Next(Unix(2026, 6, 1, 0, 0)), Unix(2027, 1, 1, 0, 0));
}

TEST(CronScheduleTest, DayOfMonthAndWeekdayAreOredUnlessOneIsStar) {
  // 2026-02-13 is a Friday; 2026-02-06 a Friday, 2026-02-10 a Tuesday.
  EXPECT_EQ(Cron("0 0 10 * 5").Next(Unix(2026, 2, 1, 0, 0)), Unix(2026, 2, 6, 0, 0));
  EXPECT_EQ(Cron("0 0 10 * 5").Next(Unix(2026, 2, 6, 0, 0)), Unix(2026, 2, 10, 0, 0));
  EXPECT_EQ(Cron("0 0 * * 5").Next(Unix(2026, 2, 6, 0, 0)), Unix(2026, 2, 13, 0, 0));
  // "*/1" keeps the star bit (a step of 1), "*/2" drops it.
  EXPECT_EQ(Cron("0 0 */2 * 5").Next(Unix(2026, 2, 1, 0, 0)), Unix(2026, 2, 3, 0, 0));
}

TEST(CronScheduleTest, ImpossibleDateNeverFires) {
  EXPECT_FALSE(Cron("0 0 30 2 *").Next(Unix(2026, 1, 1, 0, 0)).has_value());
}

TEST(GoDurationTest, ParsesAsTimeParseDuration) {
  EXPECT_EQ(*ParseGoDurationMicros("2h"), 7200 * kUs);
  EXPECT_EQ(*ParseGoDurationMicros("1h30m"), 5400 * kUs);
  EXPECT_EQ(*ParseGoDurationMicros("1.5h"), 5400 * kUs);
  EXPECT_EQ(*ParseGoDurationMicros("0"), 0);
  EXPECT_EQ(*ParseGoDurationMicros("-90s"), -90 * kUs);
  EXPECT_EQ(ParseGoDurationMicros("1d").error(), "time: unknown unit \"d\" in duration \"1d\"");
  EXPECT_EQ(ParseGoDurationMicros("60").error(), "time: missing unit in duration \"60\"");
  EXPECT_EQ(ParseGoDurationMicros("").error(), "time: invalid duration \"\"");
  EXPECT_EQ(ParseGoDurationMicros("h").error(), "time: invalid duration \"h\"");
}

TEST(TimeZoneTest, PosixFooterGivesDaylightSavingTime) {
  TimeZone z = Berlin();
  EXPECT_EQ(z.OffsetAt(Unix(2026, 1, 15, 12, 0)), 3600);
  EXPECT_EQ(z.OffsetAt(Unix(2026, 7, 15, 12, 0)), 7200);
  // 2026-03-29 01:00 UTC the clocks go forward; 2026-10-25 01:00 UTC back.
  EXPECT_EQ(z.OffsetAt(Unix(2026, 3, 29, 0, 59, 59)), 3600);
  EXPECT_EQ(z.OffsetAt(Unix(2026, 3, 29, 1, 0)), 7200);
  EXPECT_EQ(z.OffsetAt(Unix(2026, 10, 25, 0, 59, 59)), 7200);
  EXPECT_EQ(z.OffsetAt(Unix(2026, 10, 25, 1, 0)), 3600);
  // Go's Date: a skipped local time (02:30 on the spring day) lands after the gap.
  EXPECT_EQ(z.FromLocal(Unix(2026, 3, 29, 2, 30)), Unix(2026, 3, 29, 1, 30));
}

TEST(TimeZoneTest, MalformedTzifAndUnknownNames) {
  EXPECT_FALSE(TimeZone::FromTzif("nope").ok());
  MemoryTimeZones db;
  db.Add("Europe/Berlin", FooterOnlyTzif("CET-1CEST,M3.5.0,M10.5.0/3"));
  EXPECT_TRUE(db.Load("Europe/Berlin").ok());
  EXPECT_TRUE(db.Load("UTC").ok());
  EXPECT_EQ(db.Load("Mars/Olympus").error(), "unknown time zone Mars/Olympus");
  EXPECT_EQ(db.Load("../etc/passwd").error(), "time: invalid location name");
  EXPECT_FALSE(ParsePosixTz("CET-1CEST,M13.5.0,M10.5.0").ok());
}

SyncWindow Window(const std::string& kind, const std::string& schedule, const std::string& duration,
                  MemoryTimeZones* zones = nullptr, const std::string& tz = "") {
  std::vector<SyncWindow> ws(1);
  ws[0].kind = kind;
  ws[0].schedule = schedule;
  ws[0].duration = duration;
  ws[0].time_zone = tz;
  ws[0].applications = {"*"};
  ResolveSyncWindows(ws, zones);
  return ws[0];
}

int64_t UsAt(int64_t y, int m, int d, int h, int mi, int s = 0) {
  return Unix(y, m, d, h, mi, s) * kUs;
}

TEST(SyncWindowTest, ActiveInsideTheOpenInterval) {
  SyncWindow w = Window("deny", "0 17 * * *", "2h");
  EXPECT_FALSE(*WindowActive(w, UsAt(2026, 1, 15, 17, 0)));  // the tick itself: not yet
  EXPECT_TRUE(*WindowActive(w, UsAt(2026, 1, 15, 17, 0, 1)));
  EXPECT_TRUE(*WindowActive(w, UsAt(2026, 1, 15, 18, 59, 59)));
  EXPECT_FALSE(*WindowActive(w, UsAt(2026, 1, 15, 19, 0)));
}

TEST(SyncWindowTest, TimeZoneShiftsByTheOffsetInForceNow) {
  MemoryTimeZones zones;
  zones.Add("Europe/Berlin", FooterOnlyTzif("CET-1CEST,M3.5.0,M10.5.0/3"));
  SyncWindow w = Window("deny", "0 17 * * *", "2h", &zones, "Europe/Berlin");
  EXPECT_TRUE(*WindowActive(w, UsAt(2026, 1, 15, 16, 30)));   // 17:30 CET
  EXPECT_FALSE(*WindowActive(w, UsAt(2026, 1, 15, 18, 30)));  // 19:30 CET
  EXPECT_TRUE(*WindowActive(w, UsAt(2026, 7, 15, 15, 30)));   // 17:30 CEST
  EXPECT_FALSE(*WindowActive(w, UsAt(2026, 7, 15, 17, 30)));
  // An unknown zone is UTC (upstream logs a warning and goes on).
  SyncWindow unknown = Window("deny", "0 17 * * *", "2h", &zones, "Mars/Olympus");
  EXPECT_TRUE(unknown.error.empty());
  EXPECT_TRUE(*WindowActive(unknown, UsAt(2026, 1, 15, 17, 30)));
}

TEST(SyncWindowTest, DstChangeUsesTheNewOffsetForTheWholeWindow) {
  MemoryTimeZones zones;
  zones.Add("Europe/Berlin", FooterOnlyTzif("CET-1CEST,M3.5.0,M10.5.0/3"));
  // A window at 00:30 for 3h on the spring-forward night. At 00:59 UTC the offset is +1h: the
  // shifted time 01:59 is inside (00:30, 03:30). At 01:30 UTC the offset is already +2h: the
  // shifted time 03:30 is the window's (open) end, so it has closed an hour early in real time.
  SyncWindow w = Window("deny", "30 0 * * *", "3h", &zones, "Europe/Berlin");
  EXPECT_TRUE(*WindowActive(w, UsAt(2026, 3, 29, 0, 59)));
  EXPECT_FALSE(*WindowActive(w, UsAt(2026, 3, 29, 1, 30)));
}

TEST(SyncWindowTest, BadScheduleOrDurationBlocksWithTheError) {
  SyncWindow cron = Window("deny", "0 17 * *", "2h");
  std::vector<const SyncWindow*> ws{&cron};
  Result<bool> r = CanSync(ws, false, UsAt(2026, 1, 15, 12, 0), std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "invalid sync windows: cannot parse schedule '0 17 * *': expected exactly 5 fields, "
            "found 4: [0 17 * *]");
  SyncWindow dur = Window("allow", "0 17 * * *", "2d");
  EXPECT_EQ(dur.error, "cannot parse duration '2d': time: unknown unit \"d\" in duration \"2d\"");
}

TEST(SyncWindowTest, AllowWindowsDenyOutsideThemselves) {
  SyncWindow allow = Window("allow", "0 9 * * *", "8h");
  std::vector<const SyncWindow*> ws{&allow};
  EXPECT_TRUE(*CanSync(ws, false, UsAt(2026, 1, 15, 12, 0), std::nullopt));
  EXPECT_FALSE(*CanSync(ws, false, UsAt(2026, 1, 15, 20, 0), std::nullopt));
  EXPECT_FALSE(*CanSync(ws, true, UsAt(2026, 1, 15, 20, 0), std::nullopt));
  allow.manual_sync = true;
  EXPECT_TRUE(*CanSync(ws, true, UsAt(2026, 1, 15, 20, 0), std::nullopt));
  EXPECT_TRUE(*CanSync({}, false, UsAt(2026, 1, 15, 20, 0), std::nullopt));
}

TEST(SyncWindowTest, DenyWinsOverAnOverlappingAllow) {
  SyncWindow allow = Window("allow", "0 9 * * *", "8h");
  SyncWindow deny = Window("deny", "0 12 * * *", "1h");
  std::vector<const SyncWindow*> ws{&allow, &deny};
  EXPECT_TRUE(*CanSync(ws, false, UsAt(2026, 1, 15, 10, 0), std::nullopt));
  EXPECT_FALSE(*CanSync(ws, false, UsAt(2026, 1, 15, 12, 30), std::nullopt));
}

TEST(SyncWindowTest, ManualSyncNeedsEveryActiveDenyToAllowIt) {
  SyncWindow a = Window("deny", "0 12 * * *", "2h");
  SyncWindow b = Window("deny", "0 13 * * *", "2h");
  a.manual_sync = true;
  std::vector<const SyncWindow*> ws{&a, &b};
  EXPECT_TRUE(*CanSync(ws, true, UsAt(2026, 1, 15, 12, 30), std::nullopt));    // only a active
  EXPECT_FALSE(*CanSync(ws, true, UsAt(2026, 1, 15, 13, 30), std::nullopt));   // a and b
  EXPECT_FALSE(*CanSync(ws, false, UsAt(2026, 1, 15, 12, 30), std::nullopt));  // automated
}

TEST(SyncWindowTest, OverrunLetsARunningSyncFinish) {
  SyncWindow deny = Window("deny", "0 12 * * *", "2h");
  deny.sync_overrun = true;
  std::vector<const SyncWindow*> ws{&deny};
  EXPECT_TRUE(*CanSync(ws, false, UsAt(2026, 1, 15, 12, 30), UsAt(2026, 1, 15, 11, 59)));
  EXPECT_FALSE(*CanSync(ws, false, UsAt(2026, 1, 15, 12, 30), UsAt(2026, 1, 15, 12, 10)));
  deny.sync_overrun = false;
  EXPECT_FALSE(*CanSync(ws, false, UsAt(2026, 1, 15, 12, 30), UsAt(2026, 1, 15, 11, 59)));
}

TEST(SyncWindowTest, MatchesByApplicationClusterOrNamespace) {
  std::vector<SyncWindow> ws(4);
  ws[0].applications = {"shop-*"};
  ws[1].clusters = {"prod-*"};
  ws[2].namespaces = {"payments"};
  ws[3].applications = {"shop-*"};
  ws[3].namespaces = {"payments"};
  ws[3].and_operator = true;
  WindowTarget by_name{"shop-eu", "prod-1", "", "web"};
  std::vector<const SyncWindow*> m = MatchWindows(ws, by_name);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0], &ws[0]);
  EXPECT_EQ(m[1], &ws[1]);
  WindowTarget by_server{"ledger", "", "https://prod-1.fleet.invalid", "payments"};
  m = MatchWindows(ws, by_server);
  ASSERT_EQ(m.size(), 1u);  // the cluster glob names a name, not this server
  EXPECT_EQ(m[0], &ws[2]);
  WindowTarget both{"shop-eu", "dev", "", "payments"};
  EXPECT_EQ(MatchWindows(ws, both).size(), 3u);  // 0, 2 and the AND window 3
}

}  // namespace
}  // namespace fleetsim
