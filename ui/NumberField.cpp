#include "ui/NumberField.h"

#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QStyleOptionSpinBox>

#include <algorithm>
#include <cmath>

namespace dcm {

NumberField::NumberField(QWidget* parent) : QAbstractSpinBox(parent)
{
    // A QAbstractSpinBox of no value type corrects nothing when it loses focus: the text stays as typed.
    connect(lineEdit(), &QLineEdit::textChanged, this, &NumberField::valueChanged);
    setValue(0);
}

void NumberField::setRange(double minimum, double maximum)
{
    m_minimum = minimum;
    m_maximum = std::max(minimum, maximum);
    updateGeometry();
}

void NumberField::setLimits(double lowest, double highest)
{
    m_lowest = lowest;
    m_highest = std::max(lowest, highest);
}

void NumberField::setDecimals(int decimals)
{
    m_decimals = std::clamp(decimals, 0, 6);
    updateGeometry();
}

void NumberField::setSuffix(const QString& suffix)
{
    const std::optional<double> current = typedNumber();
    m_suffix = suffix;
    if (current)
        setValue(*current);
    updateGeometry();
}

NumberField::Parsed NumberField::parse(const QString& text) const
{
    QString t = text.trimmed();
    const QString unit = m_suffix.trimmed();
    if (!unit.isEmpty() && t.endsWith(unit, Qt::CaseInsensitive))
        t = t.chopped(unit.size()).trimmed();
    if (t.isEmpty())
        return {std::nullopt, tr("Enter a number.")};
    const QLocale loc = locale();
    // Digits, a sign and the separators only: no exponents, no "inf".
    const QString allowed = QStringLiteral("0123456789+-.,") + loc.decimalPoint() + loc.groupSeparator();
    const bool plain = std::all_of(t.cbegin(), t.cend(), [&](QChar c) { return allowed.contains(c); });
    bool ok = false;
    double v = plain ? loc.toDouble(t, &ok) : 0.0;
    QString point = loc.decimalPoint();
    if (plain && !ok) {
        v = QLocale::c().toDouble(t, &ok);
        point = QStringLiteral(".");
    }
    if (!ok || !std::isfinite(v))
        return {std::nullopt, tr("\"%1\" is not a number.").arg(t)};
    const qsizetype at = t.lastIndexOf(point);
    const qsizetype places = at < 0 ? 0 : t.size() - at - point.size();
    if (places > m_decimals)
        return {v, m_decimals == 0   ? tr("Enter a whole number.")
                   : m_decimals == 1 ? tr("Use at most 1 decimal place.")
                                     : tr("Use at most %1 decimal places.").arg(m_decimals)};
    if (v > m_highest)
        return {v, tr("At most %1 can be entered here.").arg(format(m_highest) + m_suffix)};
    if (v < m_lowest)
        return {v, tr("At least %1 must be entered here.").arg(format(m_lowest) + m_suffix)};
    return {v, QString()};
}

QString NumberField::format(double value) const
{
    QLocale loc = locale();
    loc.setNumberOptions(QLocale::OmitGroupSeparator);
    const QString fixed = loc.toString(value, 'f', m_decimals);
    bool ok = false;
    if (loc.toDouble(fixed, &ok) == value && ok)
        return fixed;
    // Showing fewer places would change the value without telling: show all of them (problem() then
    // says how many the field takes).
    return loc.toString(value, 'f', QLocale::FloatingPointShortest);
}

std::optional<double> NumberField::value() const
{
    const Parsed p = parse(text());
    return p.problem.isEmpty() ? p.number : std::nullopt;
}

std::optional<double> NumberField::typedNumber() const
{
    return parse(text()).number;
}

void NumberField::setValue(double value)
{
    lineEdit()->setText(format(value) + m_suffix);
}

QString NumberField::problem() const
{
    return parse(text()).problem;
}

QValidator::State NumberField::validate(QString& input, int& pos) const
{
    Q_UNUSED(pos);
    // Never Invalid: a keystroke is never dropped. Intermediate text stays as typed (see problem()).
    return parse(input).problem.isEmpty() ? QValidator::Acceptable : QValidator::Intermediate;
}

void NumberField::fixup(QString& input) const
{
    Q_UNUSED(input); // nothing is corrected behind the operator's back
}

void NumberField::stepBy(int steps)
{
    const double from = typedNumber().value_or(m_minimum);
    setValue(std::clamp(from + steps * m_step, m_minimum, m_maximum));
}

QAbstractSpinBox::StepEnabled NumberField::stepEnabled() const
{
    if (isReadOnly())
        return StepNone;
    const std::optional<double> v = typedNumber();
    if (!v)
        return StepUpEnabled | StepDownEnabled;
    StepEnabled enabled = StepNone;
    if (*v < m_maximum)
        enabled |= StepUpEnabled;
    if (*v > m_minimum)
        enabled |= StepDownEnabled;
    return enabled;
}

QSize NumberField::sizeHint() const
{
    ensurePolished();
    const QFontMetrics fm(fontMetrics());
    const int w = std::max(fm.horizontalAdvance(format(m_maximum) + m_suffix + QLatin1Char(' ')),
                           fm.horizontalAdvance(format(m_minimum) + m_suffix + QLatin1Char(' '))) +
                  2;
    QStyleOptionSpinBox option;
    initStyleOption(&option);
    return style()->sizeFromContents(QStyle::CT_SpinBox, &option, QSize(w, lineEdit()->sizeHint().height()), this);
}

QSize NumberField::minimumSizeHint() const
{
    return sizeHint();
}

} // namespace dcm
