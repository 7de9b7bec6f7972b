CREATE TABLE `intake_invite` (
	`token_hash` varchar(64) NOT NULL,
	`user_id` bigint NOT NULL,
	`import_id` bigint unsigned NOT NULL,
	`expires_at` timestamp(3) NOT NULL,
	`used_at` timestamp(3),
	CONSTRAINT `intake_invite_token_hash` PRIMARY KEY(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `intake_outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`import_id` bigint unsigned,
	`kind` varchar(20) NOT NULL,
	`recipient` varchar(255) NOT NULL,
	`recipient_user_id` bigint,
	`sealed` longblob,
	`status` varchar(10) NOT NULL DEFAULT 'pending',
	`attempts` int NOT NULL DEFAULT 0,
	`next_attempt_at` timestamp(3) NOT NULL DEFAULT (now()),
	`expires_at` timestamp(3) NOT NULL,
	`last_error` varchar(500),
	`claimed_by` varchar(64),
	`claimed_at` timestamp(3),
	`sent_at` timestamp(3),
	`created_at` timestamp(3) NOT NULL DEFAULT (now()),
	CONSTRAINT `intake_outbox_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `intake_invite_user_ix` ON `intake_invite` (`user_id`);--> statement-breakpoint
CREATE INDEX `intake_outbox_due_ix` ON `intake_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `intake_outbox_import_ix` ON `intake_outbox` (`import_id`);