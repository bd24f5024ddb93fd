package io.hallmark.core.migrate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.error.HallmarkException;

import java.util.List;
import java.util.TreeSet;

/**
 * The devices a migration policy covers, judged on the request: the EST label it arrives on, the profile or CA of
 * that label's route, or a list of devices by id. More specific groups win over broader ones ({@link #rank}).
 */
public sealed interface DeviceGroup {

    /** The most devices a device-list group names (one IN list in the store's progress counts). */
    int MAX_DEVICES = 1000;

    /** {@code label}, {@code profile}, {@code ca} or {@code devices}, as stored and printed. */
    String kind();

    /** The name, or the device ids as a JSON array, as stored. */
    String value();

    /** Whether a request on {@code label} routed to {@code ca}/{@code profile} for {@code deviceId} (null: not known yet) is covered. */
    boolean covers(String label, String ca, String profile, String deviceId);

    /** Lower is more specific: devices, then label, then profile, then CA. */
    int rank();

    /** For messages and listings: {@code label 'plant-a'}, {@code 3 devices}. */
    String describe();

    record Label(String name) implements DeviceGroup {
        public Label {
            name = name == null ? "" : name;
            if (!name.matches("[a-z0-9-]{0,32}")) throw HallmarkException.badInput("EST label '" + name + "' must be lowercase letters, digits and '-'");
        }

        public String kind() { return "label"; }

        public String value() { return name; }

        public boolean covers(String label, String ca, String profile, String deviceId) { return name.equals(label == null ? "" : label); }

        public int rank() { return 1; }

        public String describe() { return name.isEmpty() ? "the default EST label" : "EST label '" + name + "'"; }
    }

    record Profile(String name) implements DeviceGroup {
        public String kind() { return "profile"; }

        public String value() { return name; }

        public boolean covers(String label, String ca, String profile, String deviceId) { return name.equals(profile); }

        public int rank() { return 2; }

        public String describe() { return "profile " + name; }
    }

    record Ca(String name) implements DeviceGroup {
        public String kind() { return "ca"; }

        public String value() { return name; }

        public boolean covers(String label, String ca, String profile, String deviceId) { return name.equals(ca); }

        public int rank() { return 3; }

        public String describe() { return "CA " + name; }
    }

    record Devices(List<String> ids) implements DeviceGroup {
        private static final ObjectMapper JSON = new ObjectMapper();

        public Devices {
            ids = List.copyOf(new TreeSet<>(ids)); // sorted and unique: the same list is the same group
            if (ids.isEmpty()) throw HallmarkException.badInput("a device list names at least one device");
            if (ids.size() > MAX_DEVICES) throw HallmarkException.badInput("a device list names at most " + MAX_DEVICES + " devices (" + ids.size() + " given)");
            for (String id : ids) {
                if (id.isBlank() || id.length() > 64) throw HallmarkException.badInput("device id '" + id + "' must be 1 to 64 characters");
            }
        }

        public String kind() { return "devices"; }

        public String value() {
            try {
                return JSON.writeValueAsString(ids);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public boolean covers(String label, String ca, String profile, String deviceId) { return deviceId != null && ids.contains(deviceId); }

        public int rank() { return 0; }

        public String describe() { return ids.size() == 1 ? "device " + ids.getFirst() : ids.size() + " devices"; }

        static Devices parse(String json) {
            try {
                return new Devices(JSON.readValue(json, new TypeReference<List<String>>() { }));
            } catch (HallmarkException e) {
                throw e;
            } catch (Exception e) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "stored device list is unreadable: " + e.getMessage(), e);
            }
        }
    }

    static DeviceGroup of(String kind, String value) {
        return switch (kind) {
            case "label" -> new Label(value);
            case "profile" -> new Profile(value);
            case "ca" -> new Ca(value);
            case "devices" -> Devices.parse(value);
            default -> throw new HallmarkException(HallmarkException.Kind.INTERNAL, "unknown device group kind '" + kind + "' in the store");
        };
    }
}
