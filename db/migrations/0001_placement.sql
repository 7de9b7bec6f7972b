CREATE TABLE `intake_group_supervisor` (
	`cohort_id` bigint NOT NULL,
	`user_id` bigint NOT NULL,
	`import_id` bigint unsigned NOT NULL,
	CONSTRAINT `intake_group_supervisor_cohort_id_user_id_pk` PRIMARY KEY(`cohort_id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `intake_validity` (
	`user_id` bigint NOT NULL,
	`valid_from` bigint,
	`valid_until` bigint,
	`suspended_by_intake` int NOT NULL DEFAULT 0,
	`import_id` bigint unsigned NOT NULL,
	CONSTRAINT `intake_validity_user_id` PRIMARY KEY(`user_id`)
);
--> statement-breakpoint
ALTER TABLE `intake_row` ADD `placement` json;--> statement-breakpoint
CREATE INDEX `intake_validity_until_ix` ON `intake_validity` (`valid_until`);