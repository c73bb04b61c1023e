#pragma once

#include <QAbstractSpinBox>
#include <QString>

#include <optional>

namespace dcm {

// A number field that keeps exactly what the operator typed. QSpinBox and QDoubleSpinBox bound every
// value to their range: a keystroke that would leave it is dropped and setValue() clamps, so 99999 GiB
// of memory silently became 9999. Here nothing typed is dropped, clamped or rounded: a value outside the
// range stays in the field, and the form shows why it cannot be submitted (the domain's words for the
// limits, problem() for text that is not a number at all).
//
// The range only bounds the arrows, the Up/Down keys and the wheel. The limits are the largest and
// smallest values the form can carry without overflowing; beyond them problem() names the limit.
class NumberField final : public QAbstractSpinBox
{
    Q_OBJECT

public:
    explicit NumberField(QWidget* parent = nullptr);

    void setRange(double minimum, double maximum);
    double minimum() const { return m_minimum; }
    double maximum() const { return m_maximum; }
    void setLimits(double lowest, double highest);
    void setDecimals(int decimals);
    int decimals() const { return m_decimals; }
    void setSingleStep(double step) { m_step = step; }
    // Shown after the number (" GiB"); the number may be typed without it.
    void setSuffix(const QString& suffix);

    // The typed number; nullopt when problem() is not empty.
    std::optional<double> value() const;
    // The typed number even when it has more places than the field takes or is beyond its limits (to
    // convert it to another unit without losing anything); nullopt only for text that is no number.
    std::optional<double> typedNumber() const;
    // Shows `value` with decimals() places, or with every place it needs when that would round it.
    void setValue(double value);
    // Why the text is not a number this field can carry; empty when it is one (even out of range).
    QString problem() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // The text changed, by typing, stepping or setValue().
    void valueChanged();

protected:
    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;
    void stepBy(int steps) override;
    StepEnabled stepEnabled() const override;

private:
    struct Parsed
    {
        std::optional<double> number; // any finite number that was typed
        QString problem;              // empty: `number` is this field's value
    };
    Parsed parse(const QString& text) const;
    QString format(double value) const;

    double m_minimum = 0;
    double m_maximum = 99;
    double m_lowest = -1e12;
    double m_highest = 1e12;
    double m_step = 1;
    int m_decimals = 0;
    QString m_suffix;
};

} // namespace dcm
