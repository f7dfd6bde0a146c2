// Timers on top of Simulator events. Both kinds cancel their pending event when destroyed, and
// neither may be copied or moved (their events point back at them).
#ifndef FLEETSIM_ENGINE_TIMER_H_
#define FLEETSIM_ENGINE_TIMER_H_

#include <optional>

#include "engine/inline_function.h"
#include "engine/random.h"
#include "engine/sim_time.h"
#include "engine/simulator.h"

namespace fleetsim {

// What a timer calls when it fires. It may stop, reset or restart its own timer.
using TimerCallback = InlineFunction<void(), 48>;

// Fires repeatedly; after each firing the next one is at period + U[0, jitter] from that instant,
// the jitter drawn from `rng` each time (Argo CD's requeue after timeout.reconciliation plus a
// random part of timeout.reconciliation.jitter). A zero jitter draws nothing.
// REQUIRES: sim and rng outlive the timer; period > 0; jitter >= 0.
class PeriodicTimer {
 public:
  PeriodicTimer(Simulator& sim, RandomStream& rng, SimDuration period, SimDuration jitter,
                TimerCallback on_fire);
  PeriodicTimer(const PeriodicTimer&) = delete;
  PeriodicTimer& operator=(const PeriodicTimer&) = delete;
  ~PeriodicTimer();

  // (Re)starts the timer: the first firing is exactly first_delay from now, without jitter.
  void Start(SimDuration first_delay);
  // Cancels the pending firing; the timer stays stopped until Start or Reset.
  void Stop();
  // Restarts the period from now (e.g. after a hard refresh): the next firing is at
  // now + period + jitter draw. Starts a stopped timer.
  void Reset();

  bool running() const { return pending_ != 0; }
  std::optional<SimTime> next_fire() const;
  SimDuration period() const { return period_; }
  SimDuration jitter() const { return jitter_; }
  // Take effect from the next scheduling (Reset or the next firing).
  void set_period(SimDuration period) { period_ = period; }
  void set_jitter(SimDuration jitter) { jitter_ = jitter; }

 private:
  void ScheduleAt(SimTime t);
  void Fire();

  Simulator& sim_;
  RandomStream& rng_;
  SimDuration period_;
  SimDuration jitter_;
  TimerCallback on_fire_;
  EventId pending_ = 0;
  SimTime next_fire_;
};

// A single deadline that can be re-armed; arming again replaces (cancels) the previous deadline.
// REQUIRES: sim outlives the timer.
class OneShotTimer {
 public:
  explicit OneShotTimer(Simulator& sim) : sim_(sim) {}
  OneShotTimer(const OneShotTimer&) = delete;
  OneShotTimer& operator=(const OneShotTimer&) = delete;
  ~OneShotTimer() { Cancel(); }

  // Calls on_fire once, delay from now, unless cancelled or re-armed first.
  void Arm(SimDuration delay, TimerCallback on_fire);
  void ArmAt(SimTime t, TimerCallback on_fire);
  // Returns true if a deadline was pending.
  bool Cancel();

  bool armed() const { return pending_ != 0; }
  std::optional<SimTime> deadline() const;

 private:
  void Fire();

  Simulator& sim_;
  TimerCallback on_fire_;
  EventId pending_ = 0;
  SimTime deadline_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_TIMER_H_
