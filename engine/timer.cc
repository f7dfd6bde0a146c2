#include "engine/timer.h"

#include <cassert>
#include <utility>

namespace fleetsim {

PeriodicTimer::PeriodicTimer(Simulator& sim, RandomStream& rng, SimDuration period,
                             SimDuration jitter, TimerCallback on_fire)
    : sim_(sim), rng_(rng), period_(period), jitter_(jitter), on_fire_(std::move(on_fire)) {
  assert(period > SimDuration::Zero());
  assert(jitter >= SimDuration::Zero());
}

PeriodicTimer::~PeriodicTimer() { Stop(); }

void PeriodicTimer::Start(SimDuration first_delay) {
  Stop();
  ScheduleAt(sim_.now() + first_delay);
}

void PeriodicTimer::Stop() {
  if (pending_ != 0) sim_.Cancel(pending_);
  pending_ = 0;
}

void PeriodicTimer::Reset() {
  Stop();
  SimDuration delay = period_;
  if (jitter_ > SimDuration::Zero()) delay += rng_.UniformDuration(SimDuration::Zero(), jitter_);
  ScheduleAt(sim_.now() + delay);
}

std::optional<SimTime> PeriodicTimer::next_fire() const {
  if (pending_ == 0) return std::nullopt;
  return next_fire_;
}

void PeriodicTimer::ScheduleAt(SimTime t) {
  next_fire_ = t;
  pending_ = sim_.At(t, [this] { Fire(); });
}

// The next firing is scheduled before the callback runs, so the callback sees running() and may
// Stop or Reset the timer. REQUIRES: the callback does not destroy the timer.
void PeriodicTimer::Fire() {
  pending_ = 0;
  Reset();
  on_fire_();
}

void OneShotTimer::Arm(SimDuration delay, TimerCallback on_fire) {
  ArmAt(sim_.now() + delay, std::move(on_fire));
}

void OneShotTimer::ArmAt(SimTime t, TimerCallback on_fire) {
  Cancel();
  on_fire_ = std::move(on_fire);
  deadline_ = t;
  pending_ = sim_.At(t, [this] { Fire(); });
}

bool OneShotTimer::Cancel() {
  if (pending_ == 0) return false;
  sim_.Cancel(pending_);
  pending_ = 0;
  on_fire_ = nullptr;
  return true;
}

std::optional<SimTime> OneShotTimer::deadline() const {
  if (pending_ == 0) return std::nullopt;
  return deadline_;
}

// The callback is moved out first, so it may re-arm or destroy the timer.
void OneShotTimer::Fire() {
  pending_ = 0;
  TimerCallback on_fire = std::move(on_fire_);
  on_fire_ = nullptr;
  on_fire();
}

}  // namespace fleetsim
