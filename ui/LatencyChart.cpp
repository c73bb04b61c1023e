#include "ui/LatencyChart.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace dcm {

namespace {

// 1, 2, 5 × 10^n at or above `value`: round numbers for the axis.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0})
        if (step * magnitude >= value)
            return step * magnitude;
    return 10 * magnitude;
}

} // namespace

LatencyChart::LatencyChart(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("latencyChart"));
    setAccessibleName(tr("Call latency chart"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

QSize LatencyChart::sizeHint() const
{
    return QSize(420, 180);
}

QSize LatencyChart::minimumSizeHint() const
{
    return QSize(220, 120);
}

void LatencyChart::addPoint(std::chrono::microseconds p50, std::chrono::microseconds p90, std::chrono::microseconds p99)
{
    m_points.append(Point{double(p50.count()) / 1000.0, double(p90.count()) / 1000.0, double(p99.count()) / 1000.0});
    if (m_points.size() > maxPoints)
        m_points.remove(0, m_points.size() - maxPoints);
    const QLocale locale;
    setAccessibleDescription(tr("Latest p50 %1 ms, p90 %2 ms, p99 %3 ms")
                                 .arg(locale.toString(m_points.back().p50, 'f', 1),
                                      locale.toString(m_points.back().p90, 'f', 1),
                                      locale.toString(m_points.back().p99, 'f', 1)));
    update();
}

void LatencyChart::clear()
{
    m_points.clear();
    update();
}

void LatencyChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    const QLocale locale;

    p.fillRect(rect(), pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(rect().adjusted(0, 0, -1, -1));

    double top = 0;
    for (const Point& pt : m_points)
        top = std::max(top, pt.p99);
    top = niceCeiling(top * 1.1);

    const int legendHeight = fm.height() + 6;
    const int decimals = top < 2 ? 2 : top < 10 ? 1 : 0;
    const int axisWidth = fm.horizontalAdvance(locale.toString(top, 'f', decimals) + QStringLiteral(" ms")) + 10;
    const QRectF plot(axisWidth, 8, width() - axisWidth - 10, height() - 16 - legendHeight);
    if (plot.width() < 20 || plot.height() < 20)
        return;

    // Grid and axis labels.
    const QColor text = pal.color(QPalette::Text);
    QColor grid = text;
    grid.setAlphaF(0.15);
    for (int i = 0; i <= 4; ++i) {
        const double value = top * i / 4.0;
        const double y = plot.bottom() - plot.height() * i / 4.0;
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(0, y - fm.height() / 2.0, axisWidth - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   locale.toString(value, 'f', decimals) + QStringLiteral(" ms"));
    }

    struct Series
    {
        double Point::*value;
        Qt::PenStyle style;
        QColor colour;
        QString label;
    };
    const QColor highlight = pal.color(QPalette::Highlight);
    const QList<Series> series{
        {&Point::p50, Qt::SolidLine, highlight, tr("p50")},
        {&Point::p90, Qt::DashLine, QColor(0xd9, 0x82, 0x1e), tr("p90")},
        {&Point::p99, Qt::DotLine, QColor(0xc6, 0x28, 0x28), tr("p99")},
    };

    if (m_points.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(plot, Qt::AlignCenter, tr("No successful calls yet"));
    } else {
        // Few points spread over a part of the width (a line, not a spike); more fill it up to maxPoints.
        constexpr int minSlots = 24;
        const double slotCount = double(std::max<qsizetype>(minSlots, m_points.size()) - 1);
        const double step = plot.width() / std::min(slotCount, double(maxPoints - 1));
        const double x0 = plot.right() - step * double(m_points.size() - 1);
        for (const Series& s : series) {
            QPainterPath path;
            for (qsizetype i = 0; i < m_points.size(); ++i) {
                const double v = m_points.at(i).*s.value;
                const QPointF pt(x0 + step * double(i), plot.bottom() - plot.height() * std::min(1.0, v / top));
                if (i == 0)
                    path.moveTo(pt);
                else
                    path.lineTo(pt);
            }
            p.setPen(QPen(s.colour, 2, s.style, Qt::RoundCap, Qt::RoundJoin));
            p.drawPath(path);
            if (m_points.size() <= minSlots) {
                // Few samples: mark each one, so that a single call is visible too.
                p.setBrush(s.colour);
                p.setPen(Qt::NoPen);
                for (qsizetype i = 0; i < m_points.size(); ++i) {
                    const double v = m_points.at(i).*s.value;
                    p.drawEllipse(
                        QPointF(x0 + step * double(i), plot.bottom() - plot.height() * std::min(1.0, v / top)), 2.5,
                        2.5);
                }
                p.setBrush(Qt::NoBrush);
            }
        }
    }

    // Legend: a sample of each line style with its name and the latest value.
    double x = plot.left();
    const double y = plot.bottom() + 8 + fm.height() / 2.0;
    for (const Series& s : series) {
        p.setPen(QPen(s.colour, 2, s.style, Qt::RoundCap));
        p.drawLine(QPointF(x, y), QPointF(x + 22, y));
        QString label = s.label;
        if (!m_points.isEmpty())
            label += QStringLiteral(" %1 ms").arg(locale.toString(m_points.back().*s.value, 'f', 1));
        p.setPen(text);
        p.drawText(QPointF(x + 28, y + fm.ascent() / 2.0 - 1), label);
        x += 28 + fm.horizontalAdvance(label) + 18;
    }
}

} // namespace dcm
