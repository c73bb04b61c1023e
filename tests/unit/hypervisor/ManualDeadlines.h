#pragma once

#include "hypervisor/vsphere/HttpExchange.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

// Deadline timers for the transport that only fire when the test moves their clock with advance():
// a unit test of "no reply within the deadline" then takes no real time, and cannot pass or fail by
// how busy the machine is.
class ManualDeadlines final : public dcm::vsphere::DeadlineTimers
{
public:
    ManualDeadlines() : m_state(std::make_shared<State>()) {}

    std::unique_ptr<dcm::vsphere::DeadlineTimer> create() override { return std::make_unique<Timer>(m_state); }

    // Moves the clock on by `by`, firing (in due order) every armed deadline that has come.
    void advance(std::chrono::milliseconds by)
    {
        const std::chrono::milliseconds until = m_state->now + by;
        for (;;) {
            auto due = std::min_element(m_state->armed.begin(), m_state->armed.end(),
                                        [](const Timer* a, const Timer* b) { return a->due < b->due; });
            if (due == m_state->armed.end() || (*due)->due > until)
                break;
            Timer* timer = *due;
            m_state->now = timer->due;
            m_state->armed.erase(due);
            const std::function<void()> expired = timer->expired; // the call may destroy `timer`
            expired(); // may also stop or arm others: the list is looked at afresh every time
        }
        m_state->now = until;
    }

    // Deadlines armed and not yet fired or stopped.
    int armedCount() const { return int(m_state->armed.size()); }
    // The longest deadline armed, from its start: what the transport was told to wait.
    std::chrono::milliseconds longestArmed() const
    {
        std::chrono::milliseconds longest{0};
        for (const Timer* t : m_state->armed)
            longest = std::max(longest, t->after);
        return longest;
    }

private:
    struct Timer;
    struct State
    {
        std::chrono::milliseconds now{0};
        std::vector<Timer*> armed;
    };
    struct Timer final : dcm::vsphere::DeadlineTimer
    {
        explicit Timer(std::shared_ptr<State> s) : state(std::move(s)) {}
        ~Timer() override { stop(); }
        void start(std::chrono::milliseconds in, std::function<void()> onExpired) override
        {
            stop();
            after = in;
            due = state->now + in;
            expired = std::move(onExpired);
            state->armed.push_back(this);
        }
        void stop() override { std::erase(state->armed, this); }

        std::shared_ptr<State> state; // shared: a transport may destroy its timers after the test's handle
        std::chrono::milliseconds after{0};
        std::chrono::milliseconds due{0};
        std::function<void()> expired;
    };

    std::shared_ptr<State> m_state;
};
