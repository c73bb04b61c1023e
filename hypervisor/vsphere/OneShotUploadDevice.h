#pragma once

#include <QByteArray>
#include <QIODevice>

namespace dcm::vsphere {

// The body of a request that must never be sent twice. Qt's HTTP layer silently re-sends a POST when
// the server closes the connection before answering (it assumes a stale keep-alive connection); a
// CreateVM_Task re-sent that way creates a second VM. A sequential device cannot be rewound, so Qt
// reports ContentReSendError instead, which we map to an unknown outcome.
class OneShotUploadDevice final : public QIODevice
{
    Q_OBJECT
public:
    explicit OneShotUploadDevice(QByteArray data, QObject* parent = nullptr);

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    bool seek(qint64) override { return false; }
    bool reset() override { return false; }

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

} // namespace dcm::vsphere
