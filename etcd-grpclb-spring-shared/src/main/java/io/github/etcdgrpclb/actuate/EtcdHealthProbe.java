package io.github.etcdgrpclb.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdgrpclb.registry.ServiceRegistrations;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;

import org.springframework.beans.factory.ObjectProvider;

/**
 * What the {@code etcd} health component reports, the same on both Spring lines (whose health APIs
 * live in different packages; each line's {@code EtcdHealthIndicator} only maps the result). UP with the cluster id, member count, leader and revision when
 * etcd answers; DOWN with the error when it does not. When etcd answers but a registration of this
 * application is not REGISTERED (registering, reconnecting, or deregistered for draining), the
 * status is OUT_OF_SERVICE, so that a readiness probe takes the instance out while it is not
 * discoverable. Every etcd call is bounded by the timeout: a probe never hangs on wait-for-ready.
 */
public class EtcdHealthProbe {

	/**
	 * One check's outcome (an etcd that does not answer in time is an exception: DOWN).
	 * @param outOfService whether a registration of this application is not REGISTERED
	 * @param details cluster id, members, leader, revision and the registrations' states
	 */
	public record Result(boolean outOfService, Map<String, Object> details) {
	}


	/** A probe must answer quickly: etcd's own request timeout would keep it waiting. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/** Any key: a count-only read of it costs etcd nothing and its header carries the revision. */
	private static final ByteSequence REVISION_PROBE = ByteSequence.from("/", StandardCharsets.UTF_8);

	private final Client client;

	private final ObjectProvider<ServiceRegistrations> registration;

	private final Duration timeout;

	/**
	 * @param client the etcd client
	 * @param registration this application's registrations, when it has a server
	 * @param timeout the longest any etcd call of one check may take
	 */
	public EtcdHealthProbe(Client client, ObjectProvider<ServiceRegistrations> registration, Duration timeout) {
		this.client = client;
		this.registration = registration;
		this.timeout = timeout;
	}

	/**
	 * Asks etcd for its members, leader and revision, each call bounded by the timeout.
	 * @return the outcome
	 * @throws Exception when etcd does not answer in time or refuses
	 */
	public Result check() throws Exception {
		Map<String, Object> details = new LinkedHashMap<>();
		MemberListResponse members = this.client.getClusterClient()
			.listMember()
			.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		details.put("clusterId", Long.toHexString(members.getHeader().getClusterId()));
		details.put("members", members.getMembers().size());
		Long leader = leader(members.getMembers());
		if (leader != null) {
			members.getMembers()
				.stream()
				.filter((member) -> member.getId() == leader)
				.findFirst()
				.ifPresentOrElse((member) -> details.put("leader", member.getName()),
						() -> details.put("leader", Long.toHexString(leader)));
		}
		long revision = this.client.getKVClient()
			.get(REVISION_PROBE, GetOption.builder().withCountOnly(true).build())
			.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.getHeader()
			.getRevision();
		details.put("revision", revision);
		ServiceRegistrations registration = this.registration.getIfAvailable();
		if (registration != null) {
			List<RegistrationStatus> statuses = registration.statuses();
			Map<String, String> states = new LinkedHashMap<>();
			statuses.forEach((status) -> states.put(status.registration().key(), status.state().name()));
			details.put("registrations", states);
			return new Result(statuses.stream().anyMatch((status) -> status.state() != RegistrationState.REGISTERED),
					details);
		}
		return new Result(false, details);
	}

	/** The leader as one member sees it; null when no member answers the status call in time. */
	private Long leader(List<Member> members) {
		for (Member member : members) {
			if (member.getClientURIs().isEmpty()) {
				continue;
			}
			try {
				StatusResponse status = this.client.getMaintenanceClient()
					.statusMember(member.getClientURIs().get(0).toString())
					.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
				return status.getLeader();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			catch (Exception ex) {
				// try the next member
			}
		}
		return null;
	}

}
