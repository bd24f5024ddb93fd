-- API tokens expire (NULL: a service account's token that never does; revoked_at already existed).
ALTER TABLE api_principals ADD COLUMN expires_at BIGINT;

-- IEEE 802.1AR hardwareModuleName (hwType + hwSerialNum) names one physical module: per issuing
-- (manufacturer) CA it belongs to one device. The primary key makes a second owner impossible, whichever
-- node or station races to claim it.
CREATE TABLE hardware_modules (
    ca_name   VARCHAR(64) NOT NULL REFERENCES cas (name),
    hw_type   VARCHAR(256) NOT NULL,
    hw_serial VARCHAR(256) NOT NULL,
    device_id VARCHAR(64) NOT NULL REFERENCES devices (id),
    PRIMARY KEY (ca_name, hw_type, hw_serial)
);

-- Existing identities claim their modules; where earlier versions let two devices share one, the
-- first device id (in sort order) keeps it and the other is refused its next certificate with the reason.
INSERT INTO hardware_modules (ca_name, hw_type, hw_serial, device_id)
SELECT c.ca_name, d.hw_type, d.hw_serial, MIN(d.id)
FROM device_identities i
JOIN devices d ON d.id = i.device_id
JOIN certificates c ON c.serial = i.serial
WHERE d.hw_type IS NOT NULL AND d.hw_serial IS NOT NULL
GROUP BY c.ca_name, d.hw_type, d.hw_serial;
