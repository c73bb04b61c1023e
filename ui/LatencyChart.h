#pragma once

#include <QList>
#include <QWidget>

#include <chrono>

namespace dcm {

// Recent call latency at a glance: p50, p90 and p99 of the breaker's window, one point per change,
// painted by hand. The three lines differ in style (solid, dashed, dotted) as well as colour.
class LatencyChart final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int maxPoints = 120;

    explicit LatencyChart(QWidget* parent = nullptr);

    void addPoint(std::chrono::microseconds p50, std::chrono::microseconds p90, std::chrono::microseconds p99);
    int pointCount() const { return int(m_points.size()); }
    void clear();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Point
    {
        double p50 = 0, p90 = 0, p99 = 0; // milliseconds
    };
    QList<Point> m_points;
};

} // namespace dcm
