#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;

namespace dcm {

// The line under a form field: a validation problem (the domain's words) or a warning from the live
// hints. An icon and words, hidden when there is nothing to say. The field it belongs to gets the text
// as its accessible description, so that screen readers announce it with the field.
class FieldNote final : public QWidget
{
    Q_OBJECT

public:
    enum class Kind
    {
        Problem, // blocks Submit
        Warning, // advice: Submit stays possible
        Info,
    };

    FieldNote(Kind kind, QWidget* field, QWidget* parent = nullptr);

    void setMessages(const QStringList& messages);
    void setMessage(const QString& message) { setMessages(message.isEmpty() ? QStringList() : QStringList{message}); }
    void clear() { setMessages({}); }
    QStringList messages() const { return m_messages; }
    QString text() const;
    Kind kind() const { return m_kind; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColour();

    Kind m_kind;
    QWidget* m_field;
    QLabel* m_icon;
    QLabel* m_text;
    QStringList m_messages;
};

} // namespace dcm
