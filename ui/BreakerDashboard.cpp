#include "ui/BreakerDashboard.h"

#include "ui/FieldNote.h"
#include "ui/LatencyChart.h"
#include "ui/PageScrollArea.h"
#include "ui/ServiceClient.h"
#include "ui/StateStyle.h"
#include "ui/UiFormat.h"

#include <QAction>
#include <QDir>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QSysInfo>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dcm {

namespace {

constexpr int maxTransitions = 500;

QString kindText(AdminAction::Kind kind)
{
    switch (kind) {
    case AdminAction::Kind::Hold:
        return BreakerDashboard::tr("Hold (force open)");
    case AdminAction::Kind::Release:
        return BreakerDashboard::tr("Release");
    case AdminAction::Kind::Probe:
        return BreakerDashboard::tr("Probe now");
    case AdminAction::Kind::Pause:
        return BreakerDashboard::tr("Pause queue");
    case AdminAction::Kind::Resume:
        return BreakerDashboard::tr("Resume queue");
    }
    return QString();
}

QFont scaled(QFont font, double factor, bool bold)
{
    font.setPointSizeF(font.pointSizeF() * factor);
    font.setBold(bold);
    return font;
}

} // namespace

BreakerDashboard::BreakerDashboard(ServiceClient* client, QAction* adminMode, QWidget* parent)
    : QWidget(parent), m_client(client), m_adminMode(adminMode), m_clock(&UiFormat::systemClock())
{
    qRegisterMetaType<AdminAction>();
    setObjectName(QStringLiteral("breakerDashboard"));

    // The state, large: icon, words, what it means, and the countdown.
    m_stateCard = new QFrame;
    m_stateCard->setObjectName(QStringLiteral("breakerStateCard"));
    m_stateCard->setFrameShape(QFrame::StyledPanel);
    m_stateCard->setAutoFillBackground(true);
    m_stateIcon = new QLabel;
    m_stateIcon->setFixedSize(56, 56);
    m_state = new QLabel(tr("UNKNOWN"));
    m_state->setObjectName(QStringLiteral("breakerState"));
    m_state->setFont(scaled(font(), 2.2, true));
    m_state->setAccessibleName(tr("Circuit breaker state"));
    m_stateDescription = new QLabel;
    m_stateDescription->setWordWrap(true);
    m_countdown = new QLabel;
    m_countdown->setObjectName(QStringLiteral("scoutCountdown"));
    m_countdown->setFont(scaled(font(), 1.15, true));
    auto* cardText = new QVBoxLayout;
    cardText->setSpacing(2);
    auto* title = new QLabel(tr("Circuit breaker"));
    title->setForegroundRole(QPalette::PlaceholderText);
    cardText->addWidget(title);
    cardText->addWidget(m_state);
    cardText->addWidget(m_stateDescription);
    auto* card = new QHBoxLayout(m_stateCard);
    card->setContentsMargins(16, 12, 16, 12);
    card->setSpacing(16);
    card->addWidget(m_stateIcon, 0, Qt::AlignTop);
    card->addLayout(cardText, 1);
    card->addWidget(m_countdown, 0, Qt::AlignRight | Qt::AlignVCenter);

    // Figures.
    m_failures = new QLabel;
    m_failures->setObjectName(QStringLiteral("consecutiveFailures"));
    m_failureBar = new QProgressBar;
    m_failureBar->setTextVisible(false);
    m_failureBar->setMaximumHeight(8);
    m_failureBar->setAccessibleName(tr("Consecutive failures against the threshold"));
    m_queue = new QLabel;
    m_queue->setObjectName(QStringLiteral("queueDepth"));
    m_lastSuccess = new QLabel;
    m_lastSuccess->setObjectName(QStringLiteral("lastSuccess"));
    m_calls = new QLabel;
    m_calls->setObjectName(QStringLiteral("callCounts"));
    m_calls->setTextFormat(Qt::PlainText);
    m_lastError = new QLabel;
    m_lastError->setObjectName(QStringLiteral("lastError"));
    m_lastError->setWordWrap(true);
    m_lastError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* figures = new QGridLayout;
    figures->setSpacing(10);
    figures->addWidget(tile(tr("Consecutive failures"), m_failures, m_failureBar), 0, 0);
    figures->addWidget(tile(tr("Queue"), m_queue), 0, 1);
    figures->addWidget(tile(tr("Last success"), m_lastSuccess), 0, 2);
    figures->addWidget(tile(tr("Calls"), m_calls), 0, 3);
    figures->addWidget(tile(tr("Last error"), m_lastError), 1, 0, 1, 4);
    for (int c = 0; c < 4; ++c)
        figures->setColumnStretch(c, 1);

    // Latency and transitions.
    m_chart = new LatencyChart;
    auto* latencyBox = new QGroupBox(tr("Latency of successful calls"));
    auto* latencyLayout = new QVBoxLayout(latencyBox);
    latencyLayout->addWidget(m_chart);
    m_transitions = new QTreeWidget;
    m_transitions->setObjectName(QStringLiteral("transitions"));
    m_transitions->setAccessibleName(tr("Breaker transitions"));
    m_transitions->setHeaderLabels({tr("Time"), tr("Transition"), tr("Reason")});
    m_transitions->setRootIsDecorated(false);
    m_transitions->setAlternatingRowColors(true);
    m_transitions->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_transitions->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_transitions->header()->setStretchLastSection(true);
    auto* transitionsBox = new QGroupBox(tr("Transitions (this session)"));
    auto* transitionsLayout = new QVBoxLayout(transitionsBox);
    transitionsLayout->addWidget(m_transitions);
    auto* middle = new QHBoxLayout;
    middle->setSpacing(10);
    middle->addWidget(latencyBox, 1);
    middle->addWidget(transitionsBox, 1);

    // Administration.
    auto* adminBox = new QGroupBox(tr("Administration"));
    adminBox->setObjectName(QStringLiteral("adminBox"));
    auto* adminToggle = new QToolButton;
    adminToggle->setObjectName(QStringLiteral("adminModeToggle"));
    adminToggle->setDefaultAction(adminMode);
    adminToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_adminHint = new QLabel;
    m_adminHint->setWordWrap(true);
    m_adminHint->setForegroundRole(QPalette::PlaceholderText);
    m_reason = new QLineEdit;
    m_reason->setObjectName(QStringLiteral("adminReason"));
    m_reason->setPlaceholderText(tr("Why (required), e.g. vCenter patching, change 4711"));
    m_reason->setAccessibleName(tr("Reason for the admin action (required)"));
    m_reason->setClearButtonEnabled(true);
    m_reasonNote = new FieldNote(FieldNote::Kind::Problem, m_reason);
    m_reasonNote->setObjectName(QStringLiteral("adminReasonNote"));
    connect(m_reason, &QLineEdit::textChanged, this, [this] {
        if (!m_reason->text().trimmed().isEmpty())
            m_reasonNote->clear();
    });
    m_adminLog = new QTreeWidget;
    m_adminLog->setObjectName(QStringLiteral("adminLog"));
    m_adminLog->setAccessibleName(tr("Admin actions of this session"));
    m_adminLog->setHeaderLabels({tr("Time"), tr("Action"), tr("Reason"), tr("By")});
    m_adminLog->setRootIsDecorated(false);
    m_adminLog->setAlternatingRowColors(true);
    m_adminLog->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_adminLog->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_adminLog->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_adminLog->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_adminLog->header()->setStretchLastSection(false);
    m_adminLog->setMaximumHeight(m_adminLog->fontMetrics().height() * 7);
    m_adminLog->hide(); // until the first action
    m_hold = new QPushButton(StateStyle::breakerIcon(BreakerState::ForcedOpen), tr("&Hold (force open)"));
    m_hold->setObjectName(QStringLiteral("holdBreaker"));
    m_hold->setToolTip(tr("Maintenance hold: stop every call to the hypervisor and queue new requests"));
    m_release = new QPushButton(StateStyle::breakerIcon(BreakerState::Closed), tr("R&elease / reset"));
    m_release->setObjectName(QStringLiteral("releaseBreaker"));
    m_release->setToolTip(tr("Close the breaker now and let the queue drain"));
    m_probe = new QPushButton(StateStyle::breakerIcon(BreakerState::HalfOpen), tr("&Probe now"));
    m_probe->setObjectName(QStringLiteral("probeNow"));
    m_probe->setToolTip(tr("Send the scout now instead of waiting for the cooldown"));
    m_pause = new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("Pa&use queue"));
    m_pause->setObjectName(QStringLiteral("pauseQueue"));
    m_pause->setToolTip(tr("Keep accepting requests but send none until the queue is resumed"));
    auto* adminButtons = new QHBoxLayout;
    for (QPushButton* b : {m_hold, m_release, m_probe, m_pause}) {
        b->setAutoDefault(false);
        adminButtons->addWidget(b);
    }
    adminButtons->addStretch(1);
    auto* adminLayout = new QVBoxLayout(adminBox);
    auto* adminTop = new QHBoxLayout;
    adminTop->addWidget(adminToggle);
    adminTop->addWidget(m_adminHint, 1);
    adminLayout->addLayout(adminTop);
    auto* reasonRow = new QFormLayout;
    auto* reasonLabel = new QLabel(tr("Rea&son:"));
    reasonLabel->setBuddy(m_reason);
    auto* reasonField = new QWidget;
    auto* reasonFieldLayout = new QVBoxLayout(reasonField);
    reasonFieldLayout->setContentsMargins(0, 0, 0, 0);
    reasonFieldLayout->setSpacing(3);
    reasonFieldLayout->addWidget(m_reason);
    reasonFieldLayout->addWidget(m_reasonNote);
    reasonRow->addRow(reasonLabel, reasonField);
    adminLayout->addLayout(reasonRow);
    adminLayout->addLayout(adminButtons);
    adminLayout->addWidget(m_adminLog);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(12);
    layout->addWidget(m_stateCard);
    layout->addLayout(figures);
    layout->addLayout(middle, 1);
    layout->addWidget(adminBox);
    auto* scroll = new PageScrollArea(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    setTabOrder(adminToggle, m_reason);
    setTabOrder(m_reason, m_hold);
    setTabOrder(m_hold, m_release);
    setTabOrder(m_release, m_probe);
    setTabOrder(m_probe, m_pause);

    // The time in the state counts on, in every state (the snapshot comes only when something changes).
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &BreakerDashboard::updateCountdown);
    m_tick->start();

    connect(m_hold, &QPushButton::clicked, this, [this] { performAdminAction(AdminAction::Kind::Hold); });
    connect(m_release, &QPushButton::clicked, this, [this] { performAdminAction(AdminAction::Kind::Release); });
    connect(m_probe, &QPushButton::clicked, this, [this] { performAdminAction(AdminAction::Kind::Probe); });
    connect(m_pause, &QPushButton::clicked, this,
            [this] { performAdminAction(m_paused ? AdminAction::Kind::Resume : AdminAction::Kind::Pause); });
    connect(adminMode, &QAction::toggled, this, &BreakerDashboard::updateAdmin);

    connect(client, &ServiceClient::breakerChanged, this, &BreakerDashboard::applySnapshot);
    connect(client, &ServiceClient::breakerTransitioned, this, &BreakerDashboard::addTransition);
    connect(client, &ServiceClient::queueDepthChanged, this, [this](int depth) {
        m_queueDepth = depth;
        updateQueue();
    });
    connect(client, &ServiceClient::queuePausedChanged, this, [this](bool paused) {
        m_paused = paused;
        updateQueue();
        updateAdmin();
    });

    m_queueDepth = client->queueDepth();
    m_paused = client->isQueuePaused();
    if (client->breaker())
        applySnapshot(*client->breaker());
    else
        m_stateDescription->setText(tr("Waiting for the service…"));
    updateQueue();
    updateAdmin();
}

QFrame* BreakerDashboard::tile(const QString& title, QLabel* value, QWidget* extra)
{
    auto* frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    auto* v = new QVBoxLayout(frame);
    v->setContentsMargins(12, 8, 12, 10);
    v->setSpacing(4);
    auto* label = new QLabel(title);
    label->setForegroundRole(QPalette::PlaceholderText);
    value->setFont(scaled(font(), 1.25, true));
    value->setAccessibleName(title);
    v->addWidget(label);
    v->addWidget(value);
    if (extra)
        v->addWidget(extra);
    v->addStretch(1);
    return frame;
}

void BreakerDashboard::setClock(const ClockPort& clock)
{
    m_clock = &clock;
    m_snapshotArrived = m_clock->monotonicNow();
    updateCountdown();
}

QString BreakerDashboard::currentActor()
{
    QString user;
    for (const char* name : {"USER", "LOGNAME", "USERNAME"}) // Unix shells and sessions set the first two
        if (user.isEmpty())
            user = qEnvironmentVariable(name);
    if (user.isEmpty())
        user = QDir::home().dirName(); // a service account's home is named after it
    if (user.isEmpty())
        user = tr("unknown user");
    return QStringLiteral("%1@%2").arg(user, QSysInfo::machineHostName());
}

std::chrono::milliseconds BreakerDashboard::sinceSnapshot() const
{
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(m_clock->monotonicNow() - m_snapshotArrived));
}

bool BreakerDashboard::performAdminAction(AdminAction::Kind kind)
{
    if (!m_adminMode->isChecked())
        return false;
    const QString reason = m_reason->text().trimmed();
    if (reason.isEmpty()) {
        m_reasonNote->setMessage(
            tr("Say why before you %1: the reason is recorded with the action.").arg(kindText(kind).toLower()));
        m_reason->setFocus();
        return false;
    }
    const AdminAction action{kind, reason, currentActor(), m_clock->utcNow()};
    switch (kind) {
    case AdminAction::Kind::Hold:
        m_client->forceBreakerOpen(reason);
        break;
    case AdminAction::Kind::Release:
        m_client->resetBreaker(reason);
        break;
    case AdminAction::Kind::Probe:
        m_client->probeNow(reason);
        break;
    case AdminAction::Kind::Pause:
        m_client->setQueuePaused(true, reason);
        break;
    case AdminAction::Kind::Resume:
        m_client->setQueuePaused(false, reason);
        break;
    }
    // One reason per action: the next one is asked for again.
    m_reason->clear();
    m_reasonNote->clear();
    auto* item = new QTreeWidgetItem;
    item->setText(0, UiFormat::localTime(action.at));
    item->setToolTip(0, UiFormat::localDateTime(action.at));
    item->setText(1, kindText(kind));
    item->setText(2, action.reason);
    item->setToolTip(2, action.reason);
    item->setText(3, action.actor);
    m_adminLog->insertTopLevelItem(0, item);
    m_adminLog->show();
    Q_EMIT adminActionTaken(action);
    return true;
}

int BreakerDashboard::adminActionCount() const
{
    return m_adminLog->topLevelItemCount();
}

QString BreakerDashboard::adminActionText(int row) const
{
    const QTreeWidgetItem* item = m_adminLog->topLevelItem(row);
    return item ? QStringLiteral("%1: %2 (%3)").arg(item->text(1), item->text(2), item->text(3)) : QString();
}

void BreakerDashboard::applySnapshot(const BreakerSnapshot& s)
{
    m_snapshot = s;
    m_snapshotArrived = m_clock->monotonicNow();
    // Remaining time by the service's own clock, counted down here from the moment it arrived: this
    // stays right when the two clocks disagree.
    m_probeInMsAtSnapshot = -1;
    if (s.state == BreakerState::Open && s.nextProbeAt.isValid() && s.stateSince.isValid()) {
        const QDateTime serviceNow = s.stateSince.addMSecs(s.timeInState.count());
        m_probeInMsAtSnapshot = std::max<qint64>(0, serviceNow.msecsTo(s.nextProbeAt));
    }

    if (m_shownState != s.state) {
        m_shownState = s.state;
        const int iconSide = 56;
        m_stateIcon->setPixmap(StateStyle::breakerIcon(s.state).pixmap(QSize(iconSide, iconSide), devicePixelRatioF()));
        m_state->setText(StateStyle::breakerText(s.state));
        QPalette statePalette = m_state->palette();
        statePalette.setColor(QPalette::WindowText, StateStyle::accent(s.state, palette()));
        m_state->setPalette(statePalette);
    }
    m_stateDescription->setText(
        s.lastReason.isEmpty() ? StateStyle::breakerDescription(s.state)
                               : tr("%1\nLast change: %2").arg(StateStyle::breakerDescription(s.state), s.lastReason));
    m_stateCard->setAccessibleDescription(m_stateDescription->text());

    m_failures->setText(tr("%1 of %2").arg(s.consecutiveFailures).arg(s.failureThreshold));
    m_failureBar->setRange(0, std::max(1, s.failureThreshold));
    QPalette barPalette = m_failureBar->palette();
    barPalette.setColor(QPalette::Highlight, s.consecutiveFailures >= s.failureThreshold
                                                 ? StateStyle::accent(StateStyle::Notice::Error, palette())
                                             : s.consecutiveFailures > 0
                                                 ? StateStyle::accent(StateStyle::Notice::Warning, palette())
                                                 : palette().color(QPalette::Highlight));
    m_failureBar->setPalette(barPalette);
    m_failureBar->setValue(std::min(s.consecutiveFailures, s.failureThreshold));
    m_lastSuccess->setText(s.lastSuccessAt.isValid()
                               ? tr("%1 (%2)").arg(UiFormat::localTime(s.lastSuccessAt), UiFormat::age(s.lastSuccessAt))
                               : tr("none yet"));
    const QLocale locale;
    m_calls->setText(tr("✓ %1 succeeded   ✗ %2 failed\n○ %3 not counted   ⊘ %4 rejected")
                         .arg(locale.toString(qulonglong(s.succeeded)), locale.toString(qulonglong(s.failed)),
                              locale.toString(qulonglong(s.ignored)), locale.toString(qulonglong(s.rejected))));
    m_calls->setToolTip(tr("Not counted: failures that do not open the breaker (business faults, rejected "
                           "credentials, …). Rejected: calls refused without I/O while the breaker was open."));
    if (s.lastError) {
        const Error& e = *s.lastError;
        m_lastError->setText(tr("%1%2: %3")
                                 .arg(toString(e.kind),
                                      e.vimFault.isEmpty()
                                          ? (e.code.isEmpty() ? QString() : QStringLiteral(" · ") + e.code)
                                          : QStringLiteral(" · ") + e.vimFault,
                                      e.message));
    } else {
        m_lastError->setText(tr("none"));
    }

    for (const ServiceClient::LatencySample& sample : m_client->latencySince(m_latencyCursor))
        m_chart->addPoint(sample.p50, sample.p90, sample.p99);

    updateCountdown();
    updateAdmin();
}

void BreakerDashboard::updateCountdown()
{
    QString text;
    if (m_snapshot) {
        const BreakerSnapshot& s = *m_snapshot;
        const std::chrono::milliseconds elapsed = sinceSnapshot();
        const QString inState = UiFormat::countdown(s.timeInState + elapsed);
        switch (s.state) {
        case BreakerState::Closed:
            text = tr("closed for %1").arg(inState);
            break;
        case BreakerState::Open:
            if (m_probeInMsAtSnapshot >= 0) {
                const qint64 left = m_probeInMsAtSnapshot - elapsed.count();
                text = left > 0 ? tr("next scout in %1 · open for %2")
                                      .arg(UiFormat::countdown(std::chrono::milliseconds(left)), inState)
                                : tr("scout due now · open for %1").arg(inState);
            } else {
                text = tr("scout pending · open for %1").arg(inState);
            }
            break;
        case BreakerState::HalfOpen:
            text = tr("scout out for %1").arg(inState);
            break;
        case BreakerState::ForcedOpen:
            text = tr("held for %1").arg(inState);
            break;
        }
    }
    if (text == m_countdown->text())
        return;
    m_countdown->setText(text);
    Q_EMIT countdownChanged(text);
}

void BreakerDashboard::updateQueue()
{
    m_queue->setText(m_paused ? tr("%n waiting · paused", nullptr, m_queueDepth)
                              : tr("%n waiting", nullptr, m_queueDepth));
    const QString pauseText = m_paused ? tr("Res&ume queue") : tr("Pa&use queue");
    if (m_pause->text() != pauseText) {
        m_pause->setText(pauseText);
        m_pause->setIcon(style()->standardIcon(m_paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    }
}

void BreakerDashboard::updateAdmin()
{
    const bool admin = m_adminMode->isChecked();
    const BreakerState state = m_snapshot ? m_snapshot->state : BreakerState::Closed;
    m_reason->setEnabled(admin);
    m_hold->setEnabled(admin && state != BreakerState::ForcedOpen);
    m_release->setEnabled(admin && state != BreakerState::Closed);
    m_probe->setEnabled(admin && state == BreakerState::Open); // a hold never scouts; closed has nothing to probe
    m_pause->setEnabled(admin);
    m_adminHint->setText(admin ? tr("Admin mode is on: these actions affect every operator's requests.")
                               : tr("Turn on admin mode to hold or release the breaker, probe, or pause the queue."));
}

void BreakerDashboard::addTransition(const BreakerTransition& t)
{
    auto* item = new QTreeWidgetItem;
    item->setText(0, UiFormat::localDateTime(t.at));
    item->setIcon(1, StateStyle::breakerIcon(t.to));
    item->setText(1, tr("%1 → %2").arg(StateStyle::breakerText(t.from), StateStyle::breakerText(t.to)));
    item->setText(2, t.reason);
    item->setToolTip(2, t.reason);
    m_transitions->insertTopLevelItem(0, item);
    while (m_transitions->topLevelItemCount() > maxTransitions)
        delete m_transitions->takeTopLevelItem(m_transitions->topLevelItemCount() - 1);
}

QString BreakerDashboard::stateText() const
{
    return m_state->text();
}

QString BreakerDashboard::countdownText() const
{
    return m_countdown->text();
}

int BreakerDashboard::transitionCount() const
{
    return m_transitions->topLevelItemCount();
}

QString BreakerDashboard::transitionText(int row) const
{
    const QTreeWidgetItem* item = m_transitions->topLevelItem(row);
    return item ? item->text(1) + QStringLiteral(": ") + item->text(2) : QString();
}

bool BreakerDashboard::isAdminMode() const
{
    return m_adminMode->isChecked();
}

} // namespace dcm
