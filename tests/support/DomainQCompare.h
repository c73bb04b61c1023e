#pragma once

// QCOMPARE on a dcm enum does not compile as is: QTest's generic qCompare calls an unqualified
// toString(value) and expects char*, and argument-dependent lookup finds dcm::toString(...), which
// returns QString. These exact-match overloads win over QTest's template and compare (and print) the
// names instead. Include after <QTest>.

#include "domain/BreakerState.h"
#include "domain/Error.h"
#include "domain/GuestOsCatalog.h"
#include "domain/RequestState.h"

#include <QList>
#include <QStringList>
#include <QTest>

namespace QTest {

#define DCM_QCOMPARE_BY_NAME(Type)                                                                                     \
    inline bool qCompare(Type t1, Type t2, const char* actual, const char* expected, const char* file, int line)       \
    {                                                                                                                  \
        return qCompare(dcm::toString(t1), dcm::toString(t2), actual, expected, file, line);                           \
    }                                                                                                                  \
    inline bool qCompare(const QList<Type>& t1, const QList<Type>& t2, const char* actual, const char* expected,       \
                         const char* file, int line)                                                                   \
    {                                                                                                                  \
        QStringList n1;                                                                                                \
        QStringList n2;                                                                                                \
        for (Type v : t1) {                                                                                            \
            n1.append(dcm::toString(v));                                                                               \
        }                                                                                                              \
        for (Type v : t2) {                                                                                            \
            n2.append(dcm::toString(v));                                                                               \
        }                                                                                                              \
        return qCompare(n1, n2, actual, expected, file, line);                                                         \
    }

DCM_QCOMPARE_BY_NAME(dcm::ErrorKind)
DCM_QCOMPARE_BY_NAME(dcm::RequestState)
DCM_QCOMPARE_BY_NAME(dcm::BreakerState)
DCM_QCOMPARE_BY_NAME(dcm::GuestOsFamily)

#undef DCM_QCOMPARE_BY_NAME

} // namespace QTest
