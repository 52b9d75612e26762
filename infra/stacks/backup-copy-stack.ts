/**
 * The vault in a second region that receives a copy of every table backup (deployed only with
 * fundshare:backupCopyRegion). It is its own stack because a vault lives in one region; the data
 * stack names it by ARN, built from the same name, so no cross-region reference is needed.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type { Construct } from 'constructs';

export interface BackupCopyStackProps extends StackProps {
  vaultName: string;
}

export class BackupCopyStack extends Stack {
  readonly vault: backup.BackupVault;

  constructor(scope: Construct, id: string, props: BackupCopyStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.vault = new backup.BackupVault(this, 'CopyVault', {
      backupVaultName: props.vaultName,
      removalPolicy: RemovalPolicy.RETAIN,
      blockRecoveryPointDeletion: true,
    });
    new CfnOutput(this, 'CopyVaultArn', { value: this.vault.backupVaultArn, description: 'Copies of the Fundshare table backups' });
  }
}
