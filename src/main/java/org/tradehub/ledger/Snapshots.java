package org.tradehub.ledger;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads of several statements that must agree with each other (a transaction's status, plan and timeline): one
 * read-only transaction that sees the ledger as of one commit. Read apart, a stage committing between the statements
 * showed a plan step already rejected beside a status still "submitted".
 */
@Component
public class Snapshots {

    /**
     * H2's SNAPSHOT level ({@code org.h2.engine.Constants.TRANSACTION_SNAPSHOT}, not a JDBC constant): H2's REPEATABLE
     * READ only fixes each row at its first read, so two tables read one after the other can still disagree.
     * PostgreSQL's REPEATABLE READ is a snapshot of the whole database, taken at the transaction's first statement.
     */
    private static final int H2_SNAPSHOT = 6;

    private final TransactionTemplate tx;

    public Snapshots(DataSource dataSource, PlatformTransactionManager transactions) {
        int isolation = "H2".equals(productName(dataSource)) ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ;
        // TransactionTemplate.setIsolationLevel takes the JDBC levels only; a definition's level goes to the driver as is
        this.tx = new TransactionTemplate(transactions, new TransactionDefinition() {
            @Override
            public int getIsolationLevel() {
                return isolation;
            }

            @Override
            public boolean isReadOnly() {
                return true;
            }
        });
    }

    /** The reads' result, every statement in them reading the same committed state. */
    public <T> T read(Supplier<T> reads) {
        return tx.execute(status -> reads.get());
    }

    private static String productName(DataSource dataSource) {
        try {
            return JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database the ledger is on", e);
        }
    }
}
