// The cost of a breaker decision, and proof that deciding allocates nothing.
//
// Every operator new in this executable is counted (the replacement below); each benchmark reports
// "allocs/op", the allocations made inside its timed loop divided by the iterations. The target for
// tryAcquire() while OPEN: well under a microsecond, 0 allocs/op.
//
// Run: build/tests/bench/domain/bench_breaker [--benchmark_repetitions=5 --benchmark_report_aggregates_only=true]
#include "domain/CircuitBreaker.h"
#include "domain/ports/ClockPort.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>

#include <benchmark/benchmark.h>

namespace {

std::atomic<std::uint64_t> s_allocations{0};

} // namespace

// Counting replacements of the global allocation functions (all other forms forward to these).
void* operator new(std::size_t size)
{
    s_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1)) {
        return p;
    }
    throw std::bad_alloc();
}

void* operator new[](std::size_t size)
{
    return operator new(size);
}

void operator delete(void* p) noexcept
{
    std::free(p);
}

void operator delete[](void* p) noexcept
{
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}

void operator delete[](void* p, std::size_t) noexcept
{
    std::free(p);
}

namespace {

using namespace std::chrono_literals;

const dcm::SystemClock s_clock;

dcm::Error transientError()
{
    return dcm::Error::make(dcm::ErrorKind::Transient, QStringLiteral("connection-refused"),
                            QStringLiteral("Connection refused"));
}

// Counts allocations between construction and report(); only thread 0 reports, for the whole loop.
class AllocationCounter
{
public:
    explicit AllocationCounter(benchmark::State& state)
        : m_state(state), m_start(s_allocations.load(std::memory_order_relaxed))
    {}
    void report()
    {
        const auto allocations = s_allocations.load(std::memory_order_relaxed) - m_start;
        m_state.counters["allocs/op"] = benchmark::Counter(double(allocations), benchmark::Counter::kAvgIterations);
    }

private:
    benchmark::State& m_state;
    std::uint64_t m_start;
};

// OPEN with a cooldown far in the future: every call is a fast rejection.
void BM_TryAcquireOpen(benchmark::State& state)
{
    static dcm::CircuitBreaker* breaker = nullptr;
    if (state.thread_index() == 0) {
        breaker = new dcm::CircuitBreaker(s_clock, dcm::BreakerConfig{1, 24h, 10s, 100});
        breaker->onFailure(breaker->tryAcquire(), transientError());
    }
    AllocationCounter counter(state);
    for (auto _ : state) {
        benchmark::DoNotOptimize(breaker->tryAcquire());
    }
    if (state.thread_index() == 0) {
        counter.report();
        if (breaker->state() != dcm::BreakerState::Open) {
            state.SkipWithError("the breaker did not stay open");
        }
        delete breaker;
    }
}
BENCHMARK(BM_TryAcquireOpen)->Threads(1)->Threads(2)->UseRealTime();

void BM_TryAcquireForcedOpen(benchmark::State& state)
{
    dcm::CircuitBreaker breaker(s_clock);
    breaker.forceOpen(QStringLiteral("bench"));
    AllocationCounter counter(state);
    for (auto _ : state) {
        benchmark::DoNotOptimize(breaker.tryAcquire());
    }
    counter.report();
}
BENCHMARK(BM_TryAcquireForcedOpen);

void BM_TryAcquireClosed(benchmark::State& state)
{
    dcm::CircuitBreaker breaker(s_clock);
    AllocationCounter counter(state);
    for (auto _ : state) {
        benchmark::DoNotOptimize(breaker.tryAcquire());
    }
    counter.report();
}
BENCHMARK(BM_TryAcquireClosed);

// A whole successful call's bookkeeping: the permit, the result, the latency sample.
void BM_TryAcquireAndOnSuccessClosed(benchmark::State& state)
{
    dcm::CircuitBreaker breaker(s_clock);
    AllocationCounter counter(state);
    for (auto _ : state) {
        const dcm::BreakerPermit permit = breaker.tryAcquire();
        breaker.onSuccess(permit, 1500us);
    }
    counter.report();
}
BENCHMARK(BM_TryAcquireAndOnSuccessClosed);

// For scale: a counted failure copies the Error into lastError (the failure path may allocate).
void BM_TryAcquireAndOnFailureClosed(benchmark::State& state)
{
    dcm::CircuitBreaker breaker(s_clock, dcm::BreakerConfig{1 << 30, 30s, 10s, 100});
    const dcm::Error error = transientError();
    AllocationCounter counter(state);
    for (auto _ : state) {
        breaker.onFailure(breaker.tryAcquire(), error);
    }
    counter.report();
}
BENCHMARK(BM_TryAcquireAndOnFailureClosed);

// The counter's control: snapshot() builds QStrings/QDateTimes and sorts a copy of the latency window,
// so it must show allocations; if this read 0, the counting would be broken, not the breaker perfect.
void BM_Snapshot(benchmark::State& state)
{
    dcm::CircuitBreaker breaker(s_clock);
    for (int i = 0; i < 100; ++i) {
        breaker.onSuccess(breaker.tryAcquire(), std::chrono::microseconds(i));
    }
    AllocationCounter counter(state);
    for (auto _ : state) {
        benchmark::DoNotOptimize(breaker.snapshot());
    }
    counter.report();
}
BENCHMARK(BM_Snapshot);

} // namespace

BENCHMARK_MAIN();
