package io.github.etcdgrpclb.sample.server;

import io.github.etcdgrpclb.spring.election.EtcdLeaderOnly;
import io.github.etcdgrpclb.spring.election.EtcdLeadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The {@code @EtcdLeaderOnly} example ({@code --etcd.leader.enabled=true}): every server schedules the
 * report ({@link ReportTimer}), only the leader of the election (named after the service, {@code /election/simple_grpc})
 * writes it, with the term's fencing token.
 */
@Component
@ConditionalOnProperty(prefix = "etcd.leader", name = "enabled", havingValue = "true")
class LeaderReport {

	private static final Logger logger = LoggerFactory.getLogger(LeaderReport.class);

	@EtcdLeaderOnly
	public void write() {
		logger.info("Writing the report as the leader (token {})", EtcdLeadership.current().token());
	}

}
