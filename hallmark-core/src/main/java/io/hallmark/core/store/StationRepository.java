package io.hallmark.core.store;

import java.util.List;
import java.util.Optional;

public interface StationRepository {

    /**
     * Registers a station and moves the configuration sequence ({@link #reserve} spending its quota does not).
     *
     * @throws io.hallmark.core.error.HallmarkException CONFLICT if the name or certificate is taken
     */
    void insert(StationRecord station);

    Optional<StationRecord> find(String name);

    Optional<StationRecord> findByFingerprint(String certFingerprint);

    List<StationRecord> all();

    /**
     * Disables a station from {@code at}, or enables it ({@code at} null), and moves the configuration sequence.
     *
     * @throws io.hallmark.core.error.HallmarkException NOT_FOUND when there is no such station
     */
    void setDisabled(String name, java.time.Instant at);

    /**
     * Sets the most certificates a station may obtain (null: no limit), and moves the configuration sequence.
     *
     * @throws io.hallmark.core.error.HallmarkException NOT_FOUND when there is no such station
     */
    void setQuota(String name, Long quota);

    /**
     * Takes up to {@code wanted} certificates from the station's quota and counts them as issued. Locks
     * the station's row until the transaction ends, so concurrent batches of one station cannot both
     * spend the last of its quota.
     *
     * @return how many were granted, between 0 and {@code wanted}
     */
    long reserve(String name, long wanted);
}
