// The placement pickers' model under QAbstractItemModelTester: whole replacements by one reset, the
// roles the form reads, disabled entries that cannot be selected, lookups by value; and the same model
// fed by the placement cascade as the form feeds it.
#include "FakeHypervisor.h"

#include "ui/InventoryListModel.h"
#include "ui/PlacementCascade.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace dcm;

class TestInventoryListModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entriesRolesAndFlags()
    {
        InventoryListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.firstEnabledRow(), -1);

        model.setEntries({{QStringLiteral("esx-1 (maintenance mode)"), QStringLiteral("/DC0/host/C0/esx-1"),
                           QStringLiteral("host-1"), QStringLiteral("/DC0/host/C0/esx-1"), false, 0},
                          {QStringLiteral("esx-2"), QStringLiteral("/DC0/host/C0/esx-2"), QStringLiteral("host-2"),
                           QStringLiteral("tip"), true, 2}});
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowCount(model.index(0, 0)), 0); // a list: no children
        const QModelIndex second = model.index(1, 0);
        QCOMPARE(second.data().toString(), QStringLiteral("esx-2"));
        QCOMPARE(second.data(Qt::ToolTipRole).toString(), QStringLiteral("tip"));
        QCOMPARE(second.data(InventoryListModel::ValueRole).toString(), QStringLiteral("/DC0/host/C0/esx-2"));
        QCOMPARE(second.data(InventoryListModel::RefRole).toString(), QStringLiteral("host-2"));
        QCOMPARE(second.data(InventoryListModel::KindRole).toInt(), 2);
        QCOMPARE(model.flags(model.index(0, 0)), Qt::ItemFlags(Qt::NoItemFlags));
        QVERIFY(model.flags(second) & Qt::ItemIsEnabled);
        QCOMPARE(model.firstEnabledRow(), 1);
        QCOMPARE(model.rowOfValue(QStringLiteral("/DC0/host/C0/esx-2")), 1);
        QCOMPARE(model.rowOfValue(QStringLiteral("/nowhere")), -1);
        QVERIFY(model.entryAt(2) == nullptr);
        QVERIFY(model.entryAt(-1) == nullptr);

        model.setEntries({});
        QCOMPARE(resets.count(), 2);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOfValue(QStringLiteral("/DC0/host/C0/esx-2")), -1);
    }

    // Six models filled from the cascade, then refilled by choices, as the New VM form does.
    void fedByTheCascade()
    {
        PlacementCascade cascade;
        std::array<InventoryListModel, PlacementCascade::levelCount> models;
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        for (InventoryListModel& m : models)
            testers.push_back(
                std::make_unique<QAbstractItemModelTester>(&m, QAbstractItemModelTester::FailureReportingMode::QtTest));
        const auto show = [&](PlacementCascade::Level level) { models[int(level)].setEntries(cascade.choices(level)); };

        cascade.setIndex(InventoryIndex(FakeHypervisor::sampleInventory()));
        for (PlacementCascade::Level level : PlacementCascade::levels)
            show(level);
        QCOMPARE(models[int(PlacementCascade::Level::Host)].rowCount(), 2); // any host, DC0_C0_H0
        for (PlacementCascade::Level level : cascade.choose(PlacementCascade::Level::Host, 1))
            show(level);
        QCOMPARE(models[int(PlacementCascade::Level::Datastore)].rowCount(), 1);
        QCOMPARE(models[int(PlacementCascade::Level::Datastore)].index(0, 0).data(InventoryListModel::ValueRole),
                 QVariant(QStringLiteral("/DC0/datastore/ds1")));
        cascade.setIndex(InventoryIndex());
        for (PlacementCascade::Level level : PlacementCascade::levels)
            show(level);
        QCOMPARE(models[int(PlacementCascade::Level::Datacenter)].rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestInventoryListModel)
#include "TestInventoryListModel.moc"
